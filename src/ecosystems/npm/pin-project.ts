import path from "node:path";
import { readProjectFile, writeProjectFile } from "../../safe-file.js";
import { readProjectManifests } from "./lockfile/project.js";
import { pinDependencies } from "./pins.js";

/** Pins the targets in the package.json of the project and of every workspace that declares them. */
export async function pinProject(projectDir: string, targets: Map<string, string>): Promise<void> {
  for (const importer of (await readProjectManifests(projectDir)).keys()) {
    const file = path.join(importer, "package.json");
    const pinned = pinDependencies(await readProjectFile(projectDir, file, "the pin in"), targets);
    if (pinned) await writeProjectFile(projectDir, file, pinned, "the pin in");
  }
}
