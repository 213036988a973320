import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { readProjectManifests } from "./lockfile/project.js";
import { pinDependencies } from "./pins.js";

/** Pins the targets in the package.json of the project and of every workspace that declares them. */
export async function pinProject(projectDir: string, targets: Map<string, string>): Promise<void> {
  for (const importer of (await readProjectManifests(projectDir)).keys()) {
    const file = path.join(projectDir, importer, "package.json");
    const pinned = pinDependencies(await readFile(file, "utf8"), targets);
    if (pinned) await writeFile(file, pinned);
  }
}
