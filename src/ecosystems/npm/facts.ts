import semver from "semver";
import { type CompilerSettings, type Declaration, type NodeSupport, noNodeSupport, type ProjectFacts } from "../../project/facts.js";
import type { Inventory } from "../../types.js";
import { declaredDependencies, type ProjectManifests } from "./lockfile/types.js";

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
  const runtime = { name: "Node.js" as const, range: rootNode.range, source: rootNode.range === null ? "none declared (engines.node, .nvmrc, .node-version, volta.node)" : rootNode.source };
  const facts: ProjectFacts = { runtime, node, moduleType, installed, declared, language: input.typescript ? "typescript" : "javascript", notes, manager: input.inventory.manager };
  if (input.compiler && "error" in input.compiler) notes.push(input.compiler.error);
  else if (input.compiler) facts.compiler = input.compiler;
  return facts;
}

/** "6.1.1" and "=6.1.1" pin a version; "^6.1.1", "6.x", tags and URLs do not. */
export function isExactPin(range: string): boolean {
  return semver.valid(range.trim().replace(/^=\s*/, "")) !== null && !/^[~^<>]/.test(range.trim());
}

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
