import type { PackageManager } from "../../../types.js";
import type { LockGraph } from "../../lock-graph.js";

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

export interface LockfileReader {
  readonly manager: PackageManager;
  readonly fileNames: readonly string[];
  /** Whether this reader understands the content (yarn classic and berry share a file name). */
  accepts(content: string): boolean;
  /** Throws LockfileFormatError on content it cannot read. */
  parse(content: string, manifests: ProjectManifests): LockGraph;
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
