import type { InstalledPackage } from "../types.js";

// The dependency graph every lockfile reader returns (npm, yarn, pnpm, uv, Poetry, …), and how it becomes an inventory.

export interface LockNode {
  name: string;
  version: string;
  /** Ids of the nodes this one depends on; only needed when `dev` is not recorded. */
  dependencies: string[];
  /** Recorded by the lockfile itself (npm, pnpm v6); computed by reachability otherwise. */
  dev?: boolean;
}

/** A direct dependency: an importer's declared name resolved to a node. */
export interface LockRoot {
  importer: string;
  name: string;
  nodeId: string;
  dev: boolean;
}

export interface LockGraph {
  nodes: Map<string, LockNode>;
  roots: LockRoot[];
}

export class LockfileFormatError extends Error {
  override name = "LockfileFormatError";
}


/** Collapses a lockfile graph into one InstalledPackage per name@version. */
export function inventoryFromGraph(graph: LockGraph): InstalledPackage[] {
  const prodReachable = needsReachability(graph) ? reachableFromProdRoots(graph) : undefined;
  const byKey = new Map<string, InstalledPackage>();
  for (const [id, node] of graph.nodes) {
    const key = `${node.name}@${node.version}`;
    const dev = node.dev ?? !prodReachable?.has(id);
    const existing = byKey.get(key);
    if (existing) existing.dev &&= dev;
    else byKey.set(key, { name: node.name, version: node.version, direct: false, dev, importers: [] });
  }
  for (const root of graph.roots) {
    const node = graph.nodes.get(root.nodeId);
    if (!node) continue;
    const pkg = byKey.get(`${node.name}@${node.version}`);
    if (!pkg) continue;
    pkg.direct = true;
    if (!pkg.importers.includes(root.importer)) pkg.importers.push(root.importer);
  }
  for (const pkg of byKey.values()) pkg.importers.sort();
  for (const [key, roots] of pulledBy(graph)) {
    const pkg = byKey.get(key);
    if (pkg && !pkg.direct) pkg.pulledBy = [...roots].sort();
  }
  return [...byKey.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

// For each name@version, the direct dependencies whose closure reaches it (one walk per root; a
// lockfile without edges, npm v1's tree, gives none).
function pulledBy(graph: LockGraph): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const root of graph.roots) {
    const reached = new Set<string>([root.nodeId]);
    const stack = [...(graph.nodes.get(root.nodeId)?.dependencies ?? [])];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (reached.has(id)) continue;
      reached.add(id);
      const node = graph.nodes.get(id);
      if (!node) continue;
      const key = `${node.name}@${node.version}`;
      found.set(key, (found.get(key) ?? new Set()).add(root.name));
      for (const next of node.dependencies) if (!reached.has(next)) stack.push(next);
    }
  }
  return found;
}

function needsReachability(graph: LockGraph): boolean {
  for (const node of graph.nodes.values()) if (node.dev === undefined) return true;
  return false;
}

function reachableFromProdRoots(graph: LockGraph): Set<string> {
  const reached = new Set<string>();
  const stack = graph.roots.filter((root) => !root.dev).map((root) => root.nodeId);
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (reached.has(id)) continue;
    reached.add(id);
    for (const next of graph.nodes.get(id)?.dependencies ?? []) if (!reached.has(next)) stack.push(next);
  }
  return reached;
}

/** "name@range" → [name, range], handling scoped names ("@scope/name@^1"). */
export function splitDescriptor(descriptor: string): [string, string] {
  const at = descriptor.indexOf("@", 1);
  if (at === -1) return [descriptor, ""];
  return [descriptor.slice(0, at), descriptor.slice(at + 1)];
}
