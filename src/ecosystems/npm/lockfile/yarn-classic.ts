import { createRequire } from "node:module";
import { isObject, isStringMap } from "../../../shape.js";
import { splitDescriptor } from "../../lock-graph.js";
import { declaredDependencies, type LockfileReader } from "./types.js";
import { LockfileFormatError, type LockNode, type LockRoot } from "../../lock-graph.js";

interface Entry {
  version: string;
  resolved?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function isEntry(value: unknown): value is Entry {
  return isObject(value) && typeof value.version === "string" && (value.resolved === undefined || typeof value.resolved === "string") && isStringMap(value.dependencies) && isStringMap(value.optionalDependencies);
}

export const yarnClassicReader: LockfileReader = {
  manager: "yarn-classic",
  fileNames: ["yarn.lock"],
  accepts: (content) =>
    /^# yarn lockfile v1/m.test(content) || (!/^__metadata:/m.test(content) && /^\s+version "?\d/m.test(content)),
  parse(content, manifests) {
    const document = parseLockDocument(content);
    // One entry may answer several descriptors: "debug@2.6.9, debug@^2.2.0".
    const byDescriptor = new Map<string, string>();
    const nodes = new Map<string, LockNode>();
    const entries = new Map<string, Entry>();
    for (const [key, entry] of Object.entries(document)) {
      if (!isEntry(entry)) throw new LockfileFormatError(`entry "${key}" has no version`);
      const descriptors = key.split(",").map((part) => part.trim());
      const first = descriptors[0] as string;
      for (const descriptor of descriptors) byDescriptor.set(descriptor, first);
      entries.set(first, entry);
      const name = registryName(first);
      if (name && isRegistryEntry(entry))
        nodes.set(first, { name, version: entry.version, dependencies: [] });
    }
    for (const [id, node] of nodes) {
      const entry = entries.get(id);
      const dependencies = { ...entry?.dependencies, ...entry?.optionalDependencies };
      for (const [name, range] of Object.entries(dependencies)) {
        const target = byDescriptor.get(`${name}@${range}`);
        if (target) node.dependencies.push(target);
      }
    }
    const roots: LockRoot[] = [];
    for (const [importer, manifest] of manifests) {
      for (const dependency of declaredDependencies(manifest)) {
        const nodeId = byDescriptor.get(`${dependency.name}@${dependency.range}`);
        if (nodeId && nodes.has(nodeId)) roots.push({ importer, name: dependency.name, nodeId, dev: dependency.dev });
      }
    }
    return { nodes, roots };
  },
};

export function parseLockDocument(content: string): Record<string, unknown> {
  let document: unknown;
  try {
    document = yarnParsers().parseSyml(content);
  } catch (error) {
    throw new LockfileFormatError(`not a yarn.lock yarn can read (${(error as Error).message.split("\n")[0]})`);
  }
  if (typeof document !== "object" || document === null) throw new LockfileFormatError("empty yarn.lock");
  return document as Record<string, unknown>;
}

// "lodash@^4" → lodash; an alias "foo@npm:bar@^1" → bar; git, file and URL specs are not registry packages.
function registryName(descriptor: string): string | undefined {
  const [name, range] = splitDescriptor(descriptor);
  if (range.startsWith("npm:")) return splitDescriptor(range.slice(4))[0];
  if (/^(file:|link:|git|github:|https?:|[\w-]+\/[\w.-]+$)/.test(range)) return undefined;
  return name;
}

function isRegistryEntry(entry: Entry): boolean {
  return entry.resolved === undefined || /\.tgz(#.*)?$/.test(entry.resolved);
}

type YarnParsers = typeof import("@yarnpkg/parsers");
let parsers: YarnParsers | undefined;

// Loaded on first use: only yarn projects have a yarn.lock to read (it brings js-yaml with it).
function yarnParsers(): YarnParsers {
  parsers ??= createRequire(import.meta.url)("@yarnpkg/parsers") as YarnParsers;
  return parsers;
}
