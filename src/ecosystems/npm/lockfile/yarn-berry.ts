import { isObject, isStringMap } from "../../../shape.js";
import { splitDescriptor } from "../../lock-graph.js";
import { declaredDependencies, type LockfileReader } from "./types.js";
import { LockfileFormatError, type LockNode, type LockRoot } from "../../lock-graph.js";
import { parseLockDocument } from "./yarn-classic.js";

interface Entry {
  version: string;
  resolution: string;
  dependencies?: Record<string, string>;
}

function isEntry(value: unknown): value is Entry {
  return isObject(value) && typeof value.version === "string" && typeof value.resolution === "string" && isStringMap(value.dependencies);
}

export const yarnBerryReader: LockfileReader = {
  manager: "yarn-berry",
  fileNames: ["yarn.lock"],
  accepts: (content) => /^__metadata:/m.test(content),
  parse(content, manifests) {
    const document = parseLockDocument(content);
    const byDescriptor = new Map<string, string>();
    const entries = new Map<string, Entry>();
    for (const [key, entry] of Object.entries(document)) {
      if (key === "__metadata") continue;
      if (!isEntry(entry)) throw new LockfileFormatError(`entry "${key}" has no version or resolution`);
      for (const descriptor of key.split(",")) byDescriptor.set(descriptor.trim(), entry.resolution);
      entries.set(entry.resolution, entry);
    }
    const nodes = new Map<string, LockNode>();
    for (const [resolution, entry] of entries) {
      const [name, reference] = splitDescriptor(resolution);
      // Patched packages ("resolve@patch:resolve@npm%3A1.22.8#…") repeat an npm entry that is already listed.
      if (reference.startsWith("npm:")) nodes.set(resolution, { name, version: entry.version, dependencies: [] });
    }
    const roots: LockRoot[] = [];
    for (const [resolution, entry] of entries) {
      const dependencies = Object.entries(entry.dependencies ?? {}).map(([name, range]) => ({
        name,
        target: unpatched(byDescriptor.get(`${name}@${range}`)),
      }));
      const node = nodes.get(resolution);
      if (node) {
        for (const { target } of dependencies) if (target) node.dependencies.push(target);
        continue;
      }
      const importer = workspacePath(resolution);
      if (importer === undefined) continue;
      const manifest = manifests.get(importer) ?? {};
      // Berry merges devDependencies into the workspace entry; package.json says which were dev.
      const devOnly = new Set(
        declaredDependencies(manifest)
          .filter((d) => d.dev)
          .map((d) => d.name),
      );
      for (const { name, target } of dependencies) {
        if (target && nodes.has(target)) roots.push({ importer, name, nodeId: target, dev: devOnly.has(name) });
      }
    }
    return { nodes, roots };
  },
};

function workspacePath(resolution: string): string | undefined {
  const [, reference] = splitDescriptor(resolution);
  return reference.startsWith("workspace:") ? reference.slice("workspace:".length) || "." : undefined;
}

// "resolve@patch:resolve@npm%3A1.22.8#~builtin<compat/resolve>::version=1.22.8" → "resolve@npm:1.22.8"
function unpatched(resolution: string | undefined): string | undefined {
  if (!resolution) return undefined;
  const [name, reference] = splitDescriptor(resolution);
  if (!reference.startsWith("patch:")) return resolution;
  const inner = decodeURIComponent(reference.slice("patch:".length).split("#")[0] ?? "");
  const [, innerReference] = splitDescriptor(inner);
  return innerReference ? `${name}@${innerReference}` : resolution;
}
