import { createRequire } from "node:module";
import semver from "semver";
import type { LockGraph } from "../../lock-graph.js";
import type { ProjectManifests } from "./types.js";
import { declaredDependencies } from "./types.js";

/**
 * The first declared dependency the lockfile does not satisfy, as a sentence; undefined when in sync.
 * Only registry ranges are checked: workspace:, file:, git and alias specs are the manager's business.
 */
export function findOutOfSync(graph: LockGraph, manifests: ProjectManifests): string | undefined {
  const resolved = new Map<string, string>();
  for (const root of graph.roots) {
    const node = graph.nodes.get(root.nodeId);
    if (node) resolved.set(`${root.importer}\0${root.name}`, node.version);
  }
  for (const [importer, manifest] of manifests) {
    for (const dependency of declaredDependencies(manifest)) {
      if (!isRegistryRange(dependency.name, dependency.range)) continue;
      if (manifest.peerDependencies?.[dependency.name] && !isInstalledField(manifest, dependency.name)) continue;
      const where = importer === "." ? "package.json" : `${importer}/package.json`;
      const version = resolved.get(`${importer}\0${dependency.name}`);
      if (version === undefined) {
        if (isWorkspaceName(manifests, dependency.name)) continue;
        return `${where} declares ${dependency.name}@${dependency.range} but the lockfile has no entry for it`;
      }
      if (
        semver.validRange(dependency.range) &&
        !semver.satisfies(version, dependency.range, { includePrerelease: true })
      ) {
        return `${where} wants ${dependency.name}@${dependency.range} but the lockfile has ${version}`;
      }
    }
  }
  return undefined;
}

function isRegistryRange(name: string, range: string): boolean {
  // A semver range or version is npm-package-arg's "range" or "version": only other specs (git, file:,
  // npm: aliases, tags) need it, so most projects never load it (and its hosted-git-info).
  if (range.trim() !== "" && semver.validRange(range)) return true;
  try {
    const npa = createRequire(import.meta.url)("npm-package-arg") as typeof import("npm-package-arg");
    const type = npa.resolve(name, range).type;
    return type === "range" || type === "version";
  } catch {
    return false;
  }
}

function isInstalledField(
  manifest: { dependencies?: object; devDependencies?: object; optionalDependencies?: object },
  name: string,
): boolean {
  return [manifest.dependencies, manifest.devDependencies, manifest.optionalDependencies].some(
    (field) => field !== undefined && name in field,
  );
}

function isWorkspaceName(manifests: ProjectManifests, name: string): boolean {
  for (const manifest of manifests.values()) if (manifest.name === name) return true;
  return false;
}
