import { access } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.js";
import type { Ecosystem } from "../types.js";
import { npmEcosystem } from "./npm/index.js";
import { pypiEcosystem } from "./pypi/plugin.js";
import type { EcosystemPlugin } from "./run.js";

/** Every ecosystem bumpwise reviews; the compiler checks that each one is listed and complete. */
export const ecosystems: { readonly [K in Ecosystem]: EcosystemPlugin } = { npm: npmEcosystem, pypi: pypiEcosystem };

/**
 * The ecosystem of a project: --ecosystem, else the --lockfile's kind, else the lockfiles present.
 * A folder with both npm and Python lockfiles must say which it means.
 */
export async function detectEcosystem(projectDir: string, request: { ecosystem?: Ecosystem; lockfilePath?: string }): Promise<EcosystemPlugin> {
  if (request.ecosystem) return ecosystems[request.ecosystem];
  if (request.lockfilePath) {
    const base = path.basename(request.lockfilePath);
    const python = pypiEcosystem.lockfileNames.includes(base) || /\.(txt|pip)$/i.test(base);
    return python ? pypiEcosystem : npmEcosystem;
  }
  const present = new Map<Ecosystem, string[]>();
  for (const plugin of Object.values(ecosystems)) {
    for (const name of plugin.lockfileNames) {
      if (await access(path.join(projectDir, name)).then(() => true, () => false)) present.set(plugin.ecosystem, [...(present.get(plugin.ecosystem) ?? []), name]);
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
  for (const name of python) if (await access(path.join(projectDir, name)).then(() => true, () => false)) return pypiEcosystem;
  return npmEcosystem;
}
