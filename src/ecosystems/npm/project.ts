import { readFile } from "node:fs/promises";
import path from "node:path";
import { readProjectManifests } from "./lockfile/project.js";
import type { Inventory } from "../../types.js";
import type { ProjectFacts } from "../../project/facts.js";
import { readCompilerSettings } from "./api/project-thread.js";
import { projectFacts } from "./facts.js";

/** Reads the files that decide a project's facts (package.json files, .nvmrc, .node-version, tsconfig) once. */
export async function readProjectFacts(projectDir: string, inventory: Inventory): Promise<ProjectFacts> {
  const manifests = await readProjectManifests(projectDir);
  const nvmrc = await readOptional(path.join(projectDir, ".nvmrc"));
  const nodeVersion = await readOptional(path.join(projectDir, ".node-version"));
  const tsconfigPath = path.join(projectDir, "tsconfig.json");
  const hasTsconfig = (await readOptional(tsconfigPath)) !== undefined;
  // Read on the analysis thread: the main thread never loads TypeScript.
  const compiler = hasTsconfig ? await readCompilerSettings(tsconfigPath) : undefined;
  return projectFacts({
    manifests,
    inventory,
    nodeFiles: { ...(nvmrc !== undefined ? { nvmrc } : {}), ...(nodeVersion !== undefined ? { nodeVersion } : {}) },
    ...(compiler ? { compiler } : {}),
    typescript: hasTsconfig || manifests.get(".")?.devDependencies?.typescript !== undefined,
  });
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch {
    return undefined;
  }
}
