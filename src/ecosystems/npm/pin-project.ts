import path from "node:path";
import { readProjectFile, writeProjectFile } from "../../safe-file.js";
import { readProjectManifests } from "./lockfile/project.js";
import { type PinStyle, pinDependencies } from "./pins.js";

/**
 * Moves the targets in the package.json of the project and of every workspace that declares them.
 * Returns each changed file with its text before, so a caller can put it back.
 */
export async function pinProject(projectDir: string, targets: Map<string, string>, style: PinStyle = "keep-operator"): Promise<Map<string, string>> {
  const before = new Map<string, string>();
  for (const importer of (await readProjectManifests(projectDir)).keys()) {
    const file = path.join(importer, "package.json");
    const text = await readProjectFile(projectDir, file, "the pin in");
    const pinned = pinDependencies(text, targets, style);
    if (!pinned) continue;
    before.set(file, text);
    await writeProjectFile(projectDir, file, pinned, "the pin in");
  }
  return before;
}

/**
 * Relocks so that the lockfile holds exactly the targets while package.json keeps its ranges: a range
 * like `^4.22.3` also allows newer versions, which the manager would pick. So the lockfile is first
 * written against exact pins, then the ranges are put back and the manager, finding the locked
 * versions inside them, keeps them.
 */
export async function relockThroughExactPins(projectDir: string, targets: Map<string, string>, relock: () => Promise<void>): Promise<void> {
  const ranged = await pinProject(projectDir, targets, "exact");
  await relock();
  if (ranged.size === 0) return;
  for (const [file, text] of ranged) await writeProjectFile(projectDir, file, text, "the pin in");
  await relock();
}
