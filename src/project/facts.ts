import semver from "semver";
import { declaredDependencies, type ProjectManifests } from "../lockfile/types.js";
import type { Inventory } from "../types.js";

/** The Node.js versions a project (or one workspace) says it runs on, and where that was read. */
export interface NodeSupport {
  /** A semver range; null when the project declares none (or declares one bumpwise cannot read). */
  range: string | null;
  source: "engines.node" | ".nvmrc" | ".node-version" | "volta.node" | "none";
  /** Why the declared value was not usable, when it was not. */
  note?: string;
}

/** How one importer declares a dependency. */
export interface Declaration {
  importer: string;
  range: string;
  dev: boolean;
  /** An exact version ("6.1.1" or "=6.1.1"): the project chose not to move. */
  exactPin: boolean;
  /** Python: the extras asked for (`httpx[http2]`). */
  extras?: string[];
}

export interface CompilerSettings {
  file: string;
  module?: string;
  moduleResolution?: string;
}

/**
 * What the project itself declares: read once per review, and what every project-relative rule
 * compares a bump with. Everything keyed by a package or importer name is a Map.
 */
export interface ProjectFacts {
  /** Per importer ("." is the root); a workspace without its own declaration inherits the root's. */
  node: Map<string, NodeSupport>;
  /** Per importer: package.json "type". */
  moduleType: Map<string, "module" | "commonjs">;
  /** Every version of every package in the lockfile. */
  installed: Map<string, string[]>;
  /** Per package, how each importer declares it. */
  declared: Map<string, Declaration[]>;
  language: "typescript" | "javascript" | "python";
  /** A Python project's supported Pythons (`requires-python`), where that was read; absent for npm. */
  python?: { range: string | null; source: string };
  /** The tsconfig's module settings, when there is one and it loads. */
  compiler?: CompilerSettings;
  /** Facts that could not be read, said on the review. */
  notes: string[];
}

/** The files that decide the Node range beside package.json: `.nvmrc` and `.node-version`, as read. */
export interface NodeVersionFiles {
  nvmrc?: string;
  nodeVersion?: string;
}

export interface FactsInput {
  manifests: ProjectManifests;
  inventory: Inventory;
  nodeFiles: NodeVersionFiles;
  compiler?: CompilerSettings | { error: string };
  /** Whether the project has TypeScript sources or a tsconfig. */
  typescript: boolean;
}

export function projectFacts(input: FactsInput): ProjectFacts {
  const notes: string[] = [];
  const root = input.manifests.get(".") ?? {};
  const rootNode = rootNodeSupport(root, input.nodeFiles);
  if (rootNode.note) notes.push(rootNode.note);
  const node = new Map<string, NodeSupport>();
  const moduleType = new Map<string, "module" | "commonjs">();
  const declared = new Map<string, Declaration[]>();
  for (const [importer, manifest] of input.manifests) {
    const own = importer === "." ? rootNode : fromEngines(manifest.engines?.node, `${importer}/package.json`);
    node.set(importer, own && own.range !== null ? own : rootNode);
    moduleType.set(importer, manifest.type === "module" ? "module" : "commonjs");
    for (const dependency of declaredDependencies(manifest)) {
      const list = declared.get(dependency.name) ?? [];
      list.push({ importer, range: dependency.range, dev: dependency.dev, exactPin: isExactPin(dependency.range) });
      declared.set(dependency.name, list);
    }
  }
  const installed = new Map<string, string[]>();
  for (const pkg of input.inventory.packages) installed.set(pkg.name, [...(installed.get(pkg.name) ?? []), pkg.version]);
  const facts: ProjectFacts = { node, moduleType, installed, declared, language: input.typescript ? "typescript" : "javascript", notes };
  if (input.compiler && "error" in input.compiler) notes.push(input.compiler.error);
  else if (input.compiler) facts.compiler = input.compiler;
  return facts;
}

/** "6.1.1" and "=6.1.1" pin a version; "^6.1.1", "6.x", tags and URLs do not. */
export function isExactPin(range: string): boolean {
  return semver.valid(range.trim().replace(/^=\s*/, "")) !== null && !/^[~^<>]/.test(range.trim());
}

/** The Node range that decides for a bump: the importers' own, else the root's. */
export function nodeSupportFor(facts: ProjectFacts, importers: string[]): NodeSupport {
  const supports = (importers.length > 0 ? importers : ["."]).map((importer) => facts.node.get(importer) ?? facts.node.get(".") ?? noNodeSupport);
  const declaredOnes = supports.filter((support) => support.range !== null);
  if (declaredOnes.length === 0) return supports[0] ?? noNodeSupport;
  // Several workspaces: the union of what they support is what a new floor must not exclude.
  const range = [...new Set(declaredOnes.map((support) => support.range as string))].join(" || ");
  return { range, source: declaredOnes[0]?.source ?? "engines.node" };
}

const noNodeSupport: NodeSupport = { range: null, source: "none" };

function rootNodeSupport(root: { engines?: { node?: string }; volta?: { node?: string } }, files: NodeVersionFiles): NodeSupport {
  const engines = fromEngines(root.engines?.node, "package.json");
  if (engines) return engines;
  for (const [value, source] of [[files.nvmrc, ".nvmrc"], [files.nodeVersion, ".node-version"], [root.volta?.node, "volta.node"]] as const) {
    if (value === undefined) continue;
    const range = versionFileRange(value);
    if (range) return { range, source };
    return { range: null, source: "none", note: `${source} says "${value.trim().slice(0, 40)}", which is not a Node version bumpwise can compare` };
  }
  return noNodeSupport;
}

function fromEngines(value: string | undefined, where: string): NodeSupport | undefined {
  if (value === undefined) return undefined;
  if (semver.validRange(value)) return { range: value, source: "engines.node" };
  return { range: null, source: "none", note: `engines.node in ${where} ("${value.slice(0, 40)}") is not a semver range` };
}

// ".nvmrc" holds "18", "v18.17.0" or "lts/hydrogen": a major means any version of it.
function versionFileRange(value: string): string | null {
  const text = value.trim().replace(/^v/, "");
  if (/^\d+$/.test(text)) return `${text}.x`;
  if (/^\d+\.\d+$/.test(text)) return `~${text}.0`;
  return semver.valid(text) ? text : null;
}
