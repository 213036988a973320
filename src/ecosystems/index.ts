import { access } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.js";
import type { Ecosystem } from "../types.js";
import type { EcosystemDetection } from "./detection.js";
import { npmDetection } from "./npm/detect.js";
import { pypiDetection } from "./pypi/detect.js";
import type { EcosystemPlugin } from "./run.js";

/** An ecosystem before its plugin is loaded: what marks its projects, and how to load the rest. */
export interface EcosystemEntry extends EcosystemDetection {
  load(): Promise<EcosystemPlugin>;
}

/** Every ecosystem bumpwise reviews, one line each; the compiler checks that each id is listed. A run loads only its own. */
export const ecosystems: { readonly [K in Ecosystem]: EcosystemEntry } = {
  npm: { ...npmDetection, load: async () => (await import("./npm/index.js")).npmEcosystem },
  pypi: { ...pypiDetection, load: async () => (await import("./pypi/plugin.js")).pypiEcosystem },
};

/** `explain` names a package without a project: it is an npm package unless --ecosystem says otherwise. */
export const explainDefault: Ecosystem = "npm";

/**
 * The ecosystem of a project: --ecosystem, else the --lockfile's kind, else the lockfiles present.
 * A folder with both npm and Python lockfiles must say which it means.
 */
export async function detectEcosystem(projectDir: string, request: { ecosystem?: Ecosystem; lockfilePath?: string }): Promise<EcosystemPlugin> {
  return (await detectEntry(projectDir, request)).load();
}

async function detectEntry(projectDir: string, request: { ecosystem?: Ecosystem; lockfilePath?: string }): Promise<EcosystemEntry> {
  if (request.ecosystem) return ecosystems[request.ecosystem];
  const entries = Object.values(ecosystems);
  if (request.lockfilePath) {
    const claimed = entries.find((entry) => entry.claims(request.lockfilePath!));
    if (claimed) return claimed;
    const known = entries.flatMap((entry) => entry.lockfileNames).join(", ");
    throw new InputError(`${request.lockfilePath}: not a lockfile bumpwise reads (${known}, or a pinned requirements file); pass --ecosystem if it is one`);
  }
  const present = await lockfilesPresent(projectDir);
  if (present.size > 1) {
    const found = [...present.values()].flat().join(", ");
    const flags = [...present.keys()].map((id) => `--ecosystem ${id}`).join(" or ");
    throw new InputError(`${projectDir} has lockfiles of ${present.size} ecosystems (${found}); pass ${flags}`);
  }
  const only = [...present.keys()][0];
  if (only) return ecosystems[only];
  // No lockfile: the manifest says which ecosystem's "no lockfile" message the user needs.
  for (const entry of entries) {
    for (const name of entry.manifestNames) if (await access(path.join(projectDir, name)).then(() => true, () => false)) return entry;
  }
  return ecosystems.npm;
}

/**
 * Where a review runs from a folder: the folder itself when it has a lockfile, else the nearest folder
 * above it that has one (a workspace member of a monorepo: npm, pnpm and yarn workspaces, a uv
 * workspace), stopping at the repository's root. `workspace` is then the member's folder as the
 * lockfile names it; undefined when the folder is the project.
 */
export async function locateProject(dir: string): Promise<{ projectDir: string; workspace?: string }> {
  const names = Object.values(ecosystems).flatMap((entry) => entry.lockfileNames);
  const exists = (file: string) => access(file).then(() => true, () => false);
  for (let candidate = dir; ; candidate = path.dirname(candidate)) {
    for (const name of names) {
      if (await exists(path.join(candidate, name))) {
        return candidate === dir ? { projectDir: dir } : { projectDir: candidate, workspace: path.relative(candidate, dir).split(path.sep).join("/") };
      }
    }
    if (path.dirname(candidate) === candidate || (await exists(path.join(candidate, ".git")))) return { projectDir: dir };
  }
}

/** The ecosystems whose lockfiles a folder holds (in the map's order), for a review of each. */
export async function ecosystemsPresent(projectDir: string): Promise<Ecosystem[]> {
  return [...(await lockfilesPresent(projectDir)).keys()];
}

async function lockfilesPresent(projectDir: string): Promise<Map<Ecosystem, string[]>> {
  const present = new Map<Ecosystem, string[]>();
  for (const entry of Object.values(ecosystems)) {
    for (const name of entry.lockfileNames) {
      if (await access(path.join(projectDir, name)).then(() => true, () => false)) present.set(entry.ecosystem, [...(present.get(entry.ecosystem) ?? []), name]);
    }
  }
  return present;
}
