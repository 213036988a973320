import { pypiDescription } from "./describe.js";
import type { ProjectFacts } from "../../project/facts.js";
import { noCache } from "../../registry/cache.js";
import type { EcosystemPlugin } from "../run.js";
import { resolveIndex } from "./index/config.js";
import { createPypiIndex } from "./index/client.js";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pythonLockWriter } from "./lock-writers/index.js";
import { isExactPin } from "./names.js";
import { pypiDetection } from "./detect.js";
import { type PythonInventory, readPythonInventory } from "./lockfile/index.js";

/** Python projects: uv, Poetry, pip-tools and pipenv lockfiles, PyPI-compatible indexes, PEP 440. */
export const pypiEcosystem: EcosystemPlugin = {
  ...pypiDetection,
  describe: pypiDescription,
  readInventory: readPythonInventory,
  async readProject(projectDir, inventory, _packageNames, cache) {
    // The Python parser is loaded only for Python projects (an npm run never loads it).
    const usage = async () => (await import("./usage/index.js")).scanPythonUsage(projectDir, cache);
    const pinned = await readFile(path.join(projectDir, ".python-version"), "utf8").catch(() => undefined);
    return { dir: projectDir, facts: pythonFacts(inventory, pinned), usage };
  },
  async lockWriter(inventory, setup) {
    const text = await readFile(inventory.lockfilePath, "utf8");
    const index = await resolveIndex({ projectDir: setup.projectDir, env: setup.env, ...(setup.registryUrl ? { indexUrl: setup.registryUrl } : {}) });
    const client = createPypiIndex({ index, cache: noCache, offline: setup.offline });
    const digests = async (name: string, version: string) => (await client.fileDigests(name, version)).map((file) => file.sha256);
    const hasWheel = async (name: string, version: string) => (await client.manifest(name, version)).files.some((file) => file.kind === "wheel");
    return pythonLockWriter(inventory.manager, text, { offline: setup.offline, digests, hasWheel, allowBuilds: setup.allowBuilds === true, ...(setup.registryUrl ? { indexUrl: setup.registryUrl } : {}) });
  },
  ciSetup: async (projectDir) => ({ python: await (await import("./ci.js")).pythonCi(projectDir), testCommand: "pytest" }),
  async open(setup) {
    const index = await resolveIndex({ projectDir: setup.projectDir, env: setup.env, ...(setup.registryUrl ? { indexUrl: setup.registryUrl } : {}) });
    const registry = createPypiIndex({ index, cache: setup.cache, offline: setup.offline, ...(setup.requestTimeoutMs ? { timeoutMs: setup.requestTimeoutMs } : {}) });
    const notes = setup.notes
      ? (await import("../../changelog/setup.js")).releaseNotesSetup({
          packaged: (await import("./notes/sdist.js")).sdistSource({ index: registry, cache: setup.cache, scope: index.url, description: async (name, version) => (await registry.manifest(name, version)).changelog }),
          scope: index.url,
          cache: setup.cache,
          offline: setup.offline,
          github: setup.notes.github,
          githubApiUrl: setup.notes.githubApiUrl,
          env: setup.env,
        })
      : undefined;
    const { pypiReview } = await import("./review.js");
    return { review: pypiReview({ registry, apiDiff: setup.api !== undefined, cache: setup.cache }), ...(notes ? { notes } : {}), close: async () => {} };
  },
};

/**
 * requires-python from pyproject, else the range the lockfile was resolved for, else the Python the
 * project runs on as `.python-version` pins it (pyenv, uv; "3.10" means any 3.10.x); declarations from pyproject.
 */
export function pythonFacts(inventory: PythonInventory, pythonVersionFile?: string): ProjectFacts {
  const declared: ProjectFacts["declared"] = new Map();
  for (const declaration of inventory.pyproject?.declarations ?? []) {
    const list = declared.get(declaration.name) ?? [];
    list.push({ importer: ".", range: declaration.specifier, dev: declaration.group !== null && !declaration.extra, exactPin: isExactPin(declaration.specifier), extras: declaration.extras });
    declared.set(declaration.name, list);
  }
  const installed: ProjectFacts["installed"] = new Map();
  for (const pkg of inventory.packages) installed.set(pkg.name, [...(installed.get(pkg.name) ?? []), pkg.version]);
  const python = inventory.pyproject?.requiresPython
    ? inventory.pyproject.requiresPython
    : inventory.lockRequiresPython
      ? { range: inventory.lockRequiresPython, source: `the Python range ${inventory.manager} locked for` }
      : pinnedPython(pythonVersionFile);
  const notes = python ? [] : ["no requires-python declared: rules that depend on the Python version say so and stay risky"];
  const runtime = { name: "Python" as const, range: python?.range ?? null, source: python?.source ?? "none declared (requires-python, .python-version)" };
  // Production dependencies only: a test runner the code never imports is not installed for another package's feature.
  const direct = new Set([...[...declared].filter(([, declarations]) => declarations.some((declaration) => !declaration.dev)).map(([name]) => name), ...inventory.packages.filter((pkg) => pkg.direct && !pkg.dev).map((pkg) => pkg.name)]);
  return { runtime, node: new Map(), moduleType: new Map(), installed, declared, direct, language: "python", notes, python: python ?? { range: null, source: "none" } };
}

// ".python-version" holds "3.10", "3.10.12" or "pypy3.10" (first line; comments allowed): the project runs on that release line.
function pinnedPython(text: string | undefined): { range: string; source: string } | undefined {
  const line = text?.split("\n").map((entry) => entry.trim()).find((entry) => entry && !entry.startsWith("#"));
  const match = line ? /^(?:cpython-|python)?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(line) : null;
  if (!match) return undefined;
  return { range: match[3] ? `==${match[1]}.${match[2]}.${match[3]}` : `==${match[1]}.${match[2]}.*`, source: ".python-version" };
}
