// Which compiler options check each file that imports a package: its nearest tsconfig.json (or
// jsconfig.json) inside the project, as an editor picks it. A monorepo has one per app or library and
// often none at the root (ghostfolio, an Nx workspace: apps/api/tsconfig.json over tsconfig.base.json).
import path from "node:path";
import { createRequire } from "node:module";
import type * as TS from "typescript";

// Required, not imported: Node's ESM loader would first scan all of typescript.js for its exports (~0.2 s).
const ts = createRequire(import.meta.url)("typescript") as typeof TS;

/** Files checked with one config; no `config` when none is above them, `error` when it does not load. */
export interface ConfigGroup {
  files: string[];
  config?: string;
  options?: TS.CompilerOptions;
  error?: string;
}

type Loaded = { options: TS.CompilerOptions; fileNames: Set<string>; references: string[] } | { error: string };

/**
 * The importing files (relative to `dir`) grouped by the config that checks them. A solution-style config
 * (no files of its own, `references` to tsconfig.app.json and tsconfig.spec.json) hands a file to the
 * referenced config that includes it, else checks it with its own options.
 */
export function configGroups(dir: string, files: string[]): ConfigGroup[] {
  const root = path.resolve(dir);
  const groups = new Map<string | undefined, ConfigGroup>();
  for (const file of files) {
    const absolute = path.resolve(root, file);
    let config = nearestConfig(root, path.dirname(absolute));
    const solution = config ? load(config) : undefined;
    if (solution && !("error" in solution) && solution.fileNames.size === 0) {
      config = solution.references.find((reference) => {
        const referenced = load(reference);
        return !("error" in referenced) && referenced.fileNames.has(absolute);
      }) ?? config;
    }
    const group = groups.get(config) ?? { files: [], ...(config ? configOf(config, load(config)) : {}) };
    group.files.push(file);
    groups.set(config, group);
  }
  return [...groups.values()];
}

function configOf(config: string, loaded: Loaded): Omit<ConfigGroup, "files"> {
  return "error" in loaded ? { config, error: loaded.error } : { config, options: loaded.options };
}

function nearestConfig(root: string, from: string): string | undefined {
  for (let dir = from; dir.startsWith(root); dir = path.dirname(dir)) {
    for (const name of ["tsconfig.json", "jsconfig.json"]) {
      const candidate = path.join(dir, name);
      if (ts.sys.fileExists(candidate)) return candidate;
    }
    if (dir === root) break;
  }
  return undefined;
}

// A config is read (its extends followed, its include globs walked) once a thread: every pair's typecheck
// asks for the same ones, and the project does not change during a run.
const loaded = new Map<string, Loaded>();

function load(config: string): Loaded {
  let known = loaded.get(config);
  if (!known) {
    known = loadConfig(config);
    loaded.set(config, known);
  }
  return known;
}

function loadConfig(config: string): Loaded {
  const read = ts.readConfigFile(config, ts.sys.readFile);
  if (read.error) return { error: `${path.basename(config)} cannot be read: ${ts.flattenDiagnosticMessageText(read.error.messageText, " ")}` };
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(config), undefined, config);
  const references = (parsed.projectReferences ?? []).map((reference) => ts.resolveProjectReferencePath(reference));
  return { options: parsed.options, fileNames: new Set(parsed.fileNames.map((file) => path.resolve(file))), references };
}
