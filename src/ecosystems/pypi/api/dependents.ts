import { createHash } from "node:crypto";
import { places, type ProjectView } from "../../../analysis/project-view.js";
import type { JsonCache } from "../../../registry/cache.js";
import { RegistryError } from "../../../registry/contract.js";
import type { Signal } from "../../../types.js";
import type { ProjectUsage, UseSite } from "../../../usage/types.js";
import { emptyUsage } from "../../../usage/record.js";
import type { PypiIndex } from "../index/client.js";
import { forTooling, modulesOf, normaliseName, parseRequirement } from "../names.js";
import { pythonApiSignals } from "./diff.js";
import { type ModuleSurface, moduleName, type PackageSurface, type Parameter, resolve } from "./surface.js";

// Part of the cache key: a change to what is kept of a dependent's wheel must not be served stale.
const scanVersion = "v3";
// A package many others require (typing-extensions, six) is not worth reading every dependent for.
const maxDependents = 8;

export interface DependentsInput {
  /** The distribution the upgrade moves, its versions, and the modules it installs. */
  name: string;
  from: string;
  to: string;
  importNames: string[];
  /** Both versions' surfaces, asked for only when a dependent is reached (undefined when a wheel cannot be read). */
  surfaces: () => Promise<{ before: PackageSurface; after: PackageSurface } | undefined>;
  project: ProjectView;
  /** How the project's code uses every package (the modules it imports start the reach). */
  usage: ProjectUsage;
  registry: PypiIndex;
  cache: JsonCache;
  /** The lock's releases and what they require (one reading per run, shared by every bump). */
  locked: () => Promise<LockedReleases>;
}

interface Dependent {
  name: string;
  /** The version this upgrade leaves it at: the locked one, or the one the plan moves it to. */
  version: string;
  moved: boolean;
  /** The project's code imports it, or a package that requires it. */
  reached: boolean;
  /** The locked packages whose release requires this one and that the project's code imports. */
  through: string[];
}

/** What is kept of a dependent's wheel for one package it uses: the use sites, by file in the wheel. */
type DependentUses = [string, UseSite[]][];

/**
 * The project's own code is not the only code the upgrade runs against: the locked packages that use
 * the moved one stay as they are. Their wheels are read for the names they use; a name the new
 * version no longer has (or a call that no longer fits) is a fact of the lock — starlette 0.14.2's
 * `@jinja2.contextfunction` under Jinja2 3.1. Breaking when the project's imports reach the module
 * holding that use at import time (`from fastapi.templating import Jinja2Templates` → starlette.templating),
 * risky when they do not.
 */
export async function dependentSignals(input: DependentsInput): Promise<Signal[]> {
  // Only the packages the project's code reaches: imported itself, or brought by a package it imports.
  const dependents = dependentsOf(input, await input.locked()).filter((dependent) => dependent.reached).slice(0, maxDependents);
  if (dependents.length === 0) return [];
  const surfaces = await input.surfaces();
  if (!surfaces) return [];
  // Nothing removed and no signature changed: no dependent's use can break, and no wheel is read.
  const changed = changedNames(surfaces.before, surfaces.after);
  if (changed.size === 0) return [];
  const signals: Signal[] = [];
  for (const dependent of dependents) {
    const uses = await usesIn(input, dependent, changed);
    if (uses.length === 0) continue;
    const usage = { ...emptyUsage(input.name), sites: uses.flatMap(([file, sites]) => sites.map((site) => ({ ...site, file }))) };
    const found = pythonApiSignals(surfaces.before, surfaces.after, usage, input.to).signals.filter((signal) => signal.severity === "breaking");
    if (found.length === 0) continue;
    const reach = await reachOf(input, dependent);
    for (const signal of found) signals.push(judged(signal, dependent, reach));
  }
  return signals;
}

function judged(signal: Signal, dependent: Dependent, reach: Map<string, string>): Signal {
  const sites = signal.touches ?? [];
  const reached = sites.map((site) => reach.get(moduleName(site.file))).find((how) => how !== undefined);
  const which = dependent.moved ? `${dependent.name} ${dependent.version}, to which this upgrade moves it,` : `the locked ${dependent.name} ${dependent.version}, which this upgrade does not move,`;
  const base = `${signal.message}; ${which} uses it at ${places(sites)}`;
  return {
    analyzer: "api-diff",
    rule: `${signal.rule}-by-dependent`,
    severity: reached ? "breaking" : "risky",
    message: reached ? `${base}, and the project's code imports that module (${reached})` : `${base}; the project's code does not import the module that uses it`,
    ...(signal.symbols ? { symbols: signal.symbols } : {}),
    fact: `${dependent.name} ${dependent.version} ${dependent.moved ? "after this upgrade" : "locked"}, uses it at ${places(sites)}`,
    strength: reached ? "fact" : "inferred",
  };
}

/** What each locked release requires and installs: read once per lock (its METADATA), cached under the lock's packages. */
export type LockedReleases = { name: string; version: string; requires: string[]; topLevel: string[] }[];

/**
 * The locked releases the project's code reaches, at the versions this upgrade leaves them at, with the
 * names their Requires-Dist lists (any marker or extra): the packages it imports (those it declares, or
 * whose usual module name it imports), then what those require. Only these can be a dependent the
 * check reads, so the rest of the lock is not asked about. Cached under the index, every name@version
 * and the modules the code imports, so a warm run asks nothing; a release the index does not have
 * counts as requiring nothing, and any other failure leaves the answer uncached (a network hiccup is not
 * a fact of the lock).
 */
export async function lockedReleases(project: ProjectView, usage: ProjectUsage, registry: PypiIndex, cache: JsonCache): Promise<LockedReleases> {
  const versionOf = (name: string) => project.planned.get(name) ?? project.facts.installed.get(name)?.[0];
  const imported = new Set(usage.packages.keys());
  const lock = [...project.facts.installed.keys()].map((name) => `${name}@${versionOf(name)}`).sort();
  const key = `pypi-locked-requires:${scanVersion}:${registry.index.url}:${createHash("sha256").update(`${lock.join(" ")}\0${[...imported].sort().join(" ")}`).digest("hex")}`;
  const cached = await cache.get<LockedReleases>(key);
  if (cached) return cached;
  let complete = true;
  const read = (names: string[]) =>
    Promise.all(
      names.map(async (name) => {
        const version = versionOf(name) ?? "";
        const release = await registry.manifest(name, version).catch((error: unknown) => {
          if (!(error instanceof RegistryError && error.code === "not-found")) complete = false;
          return undefined;
        });
        // What its own tests or docs install is not code that runs against the moved package.
        const requires = [...new Set((release?.requiresDist ?? []).flatMap((text) => parseRequirement(text) ?? []).filter((requirement) => !forTooling(requirement)).map((requirement) => requirement.name))];
        return { name, version, requires, topLevel: release?.topLevel ?? [] };
      }),
    );
  const installed = [...project.facts.installed.keys()];
  const likelyImported = installed.filter((name) => project.facts.direct?.has(name) || modulesOf(name).some((module) => imported.has(module)));
  const first = (await read(likelyImported)).filter((release) => release.topLevel.some((module) => imported.has(module.split(".")[0] ?? module)) || modulesOf(release.name).some((module) => imported.has(module)));
  const kept = new Set(first.map((release) => release.name));
  // Read again where ring one had it (the index client answers that from memory).
  const required = [...new Set(first.flatMap((release) => release.requires))].filter((name) => project.facts.installed.has(name) && !kept.has(name));
  const releases = [...first, ...(await read(required))];
  if (complete) cache.put(key, releases);
  return releases;
}

// The locked packages whose release requires the moved one, the ones the project's code reaches first.
function dependentsOf(input: DependentsInput, releases: LockedReleases): Dependent[] {
  const imported = new Set(input.usage.packages.keys());
  const importedByProject = new Set(releases.filter((release) => release.topLevel.some((module) => imported.has(module.split(".")[0] ?? module))).map((release) => release.name));
  const dependents: Dependent[] = [];
  for (const candidate of releases) {
    if (candidate.name === input.name || !candidate.requires.includes(input.name)) continue;
    // The packages the project imports that bring this one in: how the project's code may reach it.
    const through = releases.filter((other) => importedByProject.has(other.name) && other.requires.includes(candidate.name)).map((other) => other.name);
    dependents.push({ name: candidate.name, version: candidate.version, moved: input.project.planned.has(candidate.name), through, reached: importedByProject.has(candidate.name) || through.length > 0 });
  }
  const rank = (dependent: Dependent) => (importedByProject.has(dependent.name) ? 0 : dependent.through.length > 0 ? 1 : 2);
  return dependents.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

// The dependent's uses of the moved package's modules (names imported count as used where imported:
// `from jinja2 import contextfunction` fails at import), read once per release and cached.
async function usesIn(input: DependentsInput, dependent: Dependent, changed: Set<string>): Promise<DependentUses> {
  const key = `pypi-dependent-uses:${scanVersion}:${input.registry.index.url}:${normaliseName(dependent.name)}@${dependent.version}:${input.name}@${input.from}..${input.to}`;
  const cached = await input.cache.get<DependentUses>(key);
  if (cached) return cached;
  const sources = await input.registry.sources(dependent.name, dependent.version);
  if ("unavailable" in sources) {
    // A wheel without Python sources stays without them; one that could not be read now is tried again.
    if (sources.permanent) input.cache.put(key, []);
    return [];
  }
  const reaches = (specifier: string) => input.importNames.some((module) => specifier === module || specifier.startsWith(`${module}.`));
  const mention = new RegExp(`\\b(?:${input.importNames.map((module) => module.replace(/\./g, "\\.")).join("|")})\\b`);
  const { scanPython } = await import("../usage/parse.js");
  const result: DependentUses = [];
  for (const [file, source] of sources) {
    // Only a file that names the package and one of the changed names is parsed.
    if (!file.endsWith(".py") || !mention.test(source) || !namesAny(source, changed)) continue;
    const scan = scanPython(source);
    if ("error" in scan) continue;
    const imported = scan.imports.filter((site) => reaches(site.specifier)).flatMap((site) => site.names.filter((name) => name !== "*").map((symbol): UseSite => ({ line: site.line, specifier: site.specifier, symbol, kind: "read", derived: false })));
    const sites = [...imported, ...scan.uses.filter((site) => reaches(site.specifier))];
    if (sites.length > 0) result.push([file, sites]);
  }
  input.cache.put(key, result);
  return result;
}

/**
 * The dependent's modules the project's code imports at import time, each with how ("fastapi.templating
 * at orders/main.py:5"): from the modules the project imports, through the module-level imports of the
 * packages it imports that require the dependent, and of the dependent itself.
 */
async function reachOf(input: DependentsInput, dependent: Dependent): Promise<Map<string, string>> {
  const graph = new Map<string, ModuleSurface>();
  for (const name of [dependent.name, ...dependent.through]) {
    const version = name === dependent.name ? dependent.version : (input.project.planned.get(name) ?? input.project.facts.installed.get(name)?.[0]);
    const surface = version ? await input.registry.surface(name, version) : undefined;
    if (surface && !("unavailable" in surface)) for (const [module, read] of surface) graph.set(module, read);
  }
  const reached = new Map<string, string>();
  const queue: [string, string][] = [];
  const visit = (module: string, how: string) => {
    // Importing a.b.c runs a/__init__ and a/b/__init__ first.
    const parts = module.split(".");
    for (let length = 1; length <= parts.length; length++) {
      const name = parts.slice(0, length).join(".");
      if (reached.has(name) || !graph.has(name)) continue;
      reached.set(name, how);
      queue.push([name, how]);
    }
  };
  for (const usage of input.usage.packages.values()) {
    for (const file of usage.files) {
      for (const site of file.imports) {
        const how = `${site.specifier} at ${file.file}:${site.line}`;
        visit(site.specifier, how);
        for (const name of site.names) if (name !== "*") visit(`${site.specifier}.${name}`, how);
      }
    }
  }
  for (let next = queue.shift(); next; next = queue.shift()) {
    const [module, how] = next;
    for (const [, from] of graph.get(module)?.imports ?? []) {
      visit(from.module, how);
      if (from.name !== "*") visit(`${from.module}.${from.name}`, how);
    }
  }
  return reached;
}


/**
 * The names (and methods) whose use can break between two surfaces, as the breaking rules of the API
 * diff read them: defined before and gone after, or a parameter gone or newly required (a default that
 * changed or a parameter added with one cannot fail a call). A dependent's file that names none of them
 * is not parsed, and with none at all no dependent's wheel is read.
 */
export function changedNames(before: PackageSurface, after: PackageSurface): Set<string> {
  const [old, now] = [new Map(before), new Map(after)];
  const changed = new Set<string>();
  for (const [module, surface] of old) {
    const names = new Set([...surface.definitions.map(([name]) => name), ...surface.imports.map(([local]) => local).filter((local) => local !== "*")]);
    for (const name of names) {
      const was = resolve(old, module, name);
      if (was === undefined || was === "missing" || was === "module") continue;
      const is = resolve(now, module, name);
      if (is === "missing") changed.add(name);
      if (is === undefined || is === "missing" || is === "module") continue;
      if (was.kind === "function" && is.kind === "function" && callCanFail(was.parameters, is.parameters)) changed.add(name);
      if (was.kind === "class" && is.kind === "class") {
        const methods = new Map(is.methods);
        for (const [method, parameters] of was.methods) {
          const now = methods.get(method);
          if (now && !callCanFail(parameters, now)) continue;
          changed.add(method);
          if (method === "__init__") changed.add(name);
        }
      }
    }
  }
  return changed;
}

// A named parameter gone, or one required now that was not (or did not exist).
function callCanFail(before: Parameter[], after: Parameter[]): boolean {
  const named = (list: Parameter[]) => list.filter((parameter) => parameter.kind === "positional" || parameter.kind === "keyword-only");
  const now = new Map(named(after).map((parameter) => [parameter.name, parameter]));
  const was = new Map(named(before).map((parameter) => [parameter.name, parameter]));
  for (const name of was.keys()) if (!now.has(name)) return true;
  for (const [name, parameter] of now) if (parameter.default === null && was.get(name)?.default !== null) return true;
  return false;
}

// Whether a source names one of the changed names as a word.
function namesAny(source: string, names: Set<string>): boolean {
  for (const word of source.matchAll(/[A-Za-z_]\w*/g)) if (names.has(word[0])) return true;
  return false;
}
