import { access } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.js";
import type { Ecosystem } from "../types.js";
import { npmLockfileNames, pythonLockfileNames } from "./lockfile-names.js";
import type { EcosystemPlugin } from "./run.js";

/** An ecosystem before its plugin is loaded: what marks its projects, and how to load the rest. */
export interface EcosystemEntry {
  readonly ecosystem: Ecosystem;
  readonly lockfileNames: readonly string[];
  load(): Promise<EcosystemPlugin>;
}

/** Every ecosystem bumpwise reviews; the compiler checks that each one is listed. A run loads only its own. */
export const ecosystems: { readonly [K in Ecosystem]: EcosystemEntry } = {
  npm: { ecosystem: "npm", lockfileNames: npmLockfileNames, load: async () => (await import("./npm/index.js")).npmEcosystem },
  pypi: { ecosystem: "pypi", lockfileNames: pythonLockfileNames, load: async () => (await import("./pypi/plugin.js")).pypiEcosystem },
};

/**
 * The ecosystem of a project: --ecosystem, else the --lockfile's kind, else the lockfiles present.
 * A folder with both npm and Python lockfiles must say which it means.
 */
export async function detectEcosystem(projectDir: string, request: { ecosystem?: Ecosystem; lockfilePath?: string }): Promise<EcosystemPlugin> {
  return (await detectEntry(projectDir, request)).load();
}

async function detectEntry(projectDir: string, request: { ecosystem?: Ecosystem; lockfilePath?: string }): Promise<EcosystemEntry> {
  if (request.ecosystem) return ecosystems[request.ecosystem];
  if (request.lockfilePath) {
    const base = path.basename(request.lockfilePath);
    const python = ecosystems.pypi.lockfileNames.includes(base) || /\.(txt|pip)$/i.test(base);
    return python ? ecosystems.pypi : ecosystems.npm;
  }
  const present = new Map<Ecosystem, string[]>();
  for (const entry of Object.values(ecosystems)) {
    for (const name of entry.lockfileNames) {
      if (await access(path.join(projectDir, name)).then(() => true, () => false)) present.set(entry.ecosystem, [...(present.get(entry.ecosystem) ?? []), name]);
    }
  }
  if (present.size > 1) {
    const found = [...present.values()].flat().join(", ");
    throw new InputError(`${projectDir} has npm and Python lockfiles (${found}); pass --ecosystem npm or --ecosystem pypi`);
  }
  const only = [...present.keys()][0];
  if (only) return ecosystems[only];
  // No lockfile: the manifest says which ecosystem's "no lockfile" message the user needs.
  const python = ["pyproject.toml", "Pipfile", "requirements.in"];
  for (const name of python) if (await access(path.join(projectDir, name)).then(() => true, () => false)) return ecosystems.pypi;
  return ecosystems.npm;
}
