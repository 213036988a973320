import type { PackageManager } from "../types.js";

export interface Manifest {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  workspaces?: string[] | { packages?: string[] };
  packageManager?: string;
  type?: string;
  engines?: { node?: string };
  volta?: { node?: string };
}

/** The root package.json and each workspace's, keyed by importer path ("." is the root). */
export type ProjectManifests = Map<string, Manifest>;

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

export interface LockfileReader {
  readonly manager: PackageManager;
  readonly fileNames: readonly string[];
  /** Whether this reader understands the content (yarn classic and berry share a file name). */
  accepts(content: string): boolean;
  /** Throws LockfileFormatError on content it cannot read. */
  parse(content: string, manifests: ProjectManifests): LockGraph;
}

export class LockfileFormatError extends Error {
  override name = "LockfileFormatError";
}

export const dependencyFields = [
  "dependencies",
  "devDependencies",
  "optionalDependencies",
  "peerDependencies",
] as const;

/** Every declared dependency of a manifest with whether it is dev-only. */
export function declaredDependencies(manifest: Manifest): { name: string; range: string; dev: boolean }[] {
  const seen = new Map<string, { name: string; range: string; dev: boolean }>();
  for (const field of dependencyFields) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      const existing = seen.get(name);
      if (existing) {
        if (field !== "devDependencies") existing.dev = false;
        continue;
      }
      seen.set(name, { name, range, dev: field === "devDependencies" });
    }
  }
  return [...seen.values()];
}
