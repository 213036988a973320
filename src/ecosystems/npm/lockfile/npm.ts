import { at, expectFields, expectObject, expectOptionalStringMap, type JsonObject, ShapeError } from "../../../shape.js";
import { declaredDependencies, type LockfileReader, type Manifest, type ProjectManifests } from "./types.js";
import { LockfileFormatError, type LockGraph, type LockNode, type LockRoot } from "../../lock-graph.js";

// A location's entry repeats its package.json's name, version and dependency maps.
interface PackageEntry extends Pick<Manifest, "name" | "version" | "dependencies" | "devDependencies" | "optionalDependencies" | "peerDependencies"> {
  resolved?: string;
  link?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  inBundle?: boolean;
}

interface V1Dependency {
  version: string;
  dev?: boolean;
  bundled?: boolean;
  dependencies?: Record<string, V1Dependency>;
}

interface PackageLock {
  lockfileVersion: 1 | 2 | 3;
  packages?: Record<string, PackageEntry>;
  dependencies?: Record<string, V1Dependency>;
}

const entryFields = { name: "string", version: "string", resolved: "string", link: "boolean", dev: "boolean", devOptional: "boolean", inBundle: "boolean" } as const;
const dependencyMaps = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"] as const;

// The fields bumpwise reads, each of the kind npm writes; anything else in the file is left alone.
function checkLock(json: unknown): PackageLock {
  const lock = expectObject(json, "top level");
  if (lock.lockfileVersion !== 1 && lock.lockfileVersion !== 2 && lock.lockfileVersion !== 3) throw new ShapeError("lockfileVersion: expected 1, 2 or 3");
  if (lock.packages !== undefined) {
    for (const [location, entry] of Object.entries(expectObject(lock.packages, "packages"))) {
      const where = at("packages", location);
      const fields = expectObject(entry, where);
      expectFields(fields, entryFields, where);
      for (const map of dependencyMaps) expectOptionalStringMap(fields[map], at(where, map));
    }
  }
  if (lock.dependencies !== undefined) checkV1Tree(expectObject(lock.dependencies, "dependencies"), "dependencies");
  return lock as unknown as PackageLock;
}

function checkV1Tree(tree: JsonObject, where: string): void {
  for (const [name, entry] of Object.entries(tree)) {
    const place = at(where, name);
    const fields = expectObject(entry, place);
    if (typeof fields.version !== "string") throw new ShapeError(`${at(place, "version")}: expected a string`);
    expectFields(fields, { dev: "boolean", bundled: "boolean" }, place);
    if (fields.dependencies !== undefined) checkV1Tree(expectObject(fields.dependencies, at(place, "dependencies")), at(place, "dependencies"));
  }
}

export const npmReader: LockfileReader = {
  manager: "npm",
  fileNames: ["npm-shrinkwrap.json", "package-lock.json"],
  accepts: (content) => /"lockfileVersion"\s*:/.test(content),
  parse(content, manifests) {
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch (error) {
      throw new LockfileFormatError(`not valid JSON (${(error as Error).message})`);
    }
    let lock: PackageLock;
    try {
      lock = checkLock(json);
    } catch (error) {
      if (error instanceof ShapeError) throw new LockfileFormatError(`not a package-lock.json npm can read (${error.message})`);
      throw error;
    }
    if (lock.packages) return fromPackages(lock.packages);
    if (lock.dependencies) return fromV1Tree(lock.dependencies, manifests);
    return { nodes: new Map(), roots: [] };
  },
};

// v2 and v3: a flat map of install locations ("node_modules/a/node_modules/b").
function fromPackages(packages: Record<string, PackageEntry>): LockGraph {
  const nodes = new Map<string, LockNode>();
  for (const [location, entry] of Object.entries(packages)) {
    if (!location.includes("node_modules/") || entry.link || entry.inBundle || !entry.version) continue;
    if (!isRegistryResolved(entry.resolved)) continue;
    const name = entry.name ?? location.slice(location.lastIndexOf("node_modules/") + "node_modules/".length);
    nodes.set(location, {
      name,
      version: entry.version,
      dependencies: [],
      dev: entry.dev === true || entry.devOptional === true,
    });
  }
  // Each package's edges, resolved as Node does: which direct dependency pulls a transitive one in.
  for (const [location, node] of nodes) {
    const entry = packages[location];
    if (!entry) continue;
    for (const dependency of declaredDependencies(entry)) {
      const target = resolveLocation(packages, location, dependency.name);
      if (target && nodes.has(target)) node.dependencies.push(target);
    }
  }
  const roots: LockRoot[] = [];
  for (const [location, entry] of Object.entries(packages)) {
    const isImporter = location === "" || (!location.includes("node_modules/") && !entry.link);
    if (!isImporter) continue;
    for (const dependency of declaredDependencies(entry)) {
      const nodeId = resolveLocation(packages, location, dependency.name);
      if (nodeId && nodes.has(nodeId)) {
        roots.push({ importer: location || ".", name: dependency.name, nodeId, dev: dependency.dev });
      }
    }
  }
  return { nodes, roots };
}

// Node's resolution: the nearest node_modules folder walking up from the importer.
function resolveLocation(packages: Record<string, unknown>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (candidate in packages) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf("/node_modules/");
    base = cut === -1 ? (base.includes("/") ? base.slice(0, base.lastIndexOf("/")) : "") : base.slice(0, cut);
  }
}

// Registry packages carry no `resolved` (omit-lockfile-registry-resolved) or a tarball URL.
function isRegistryResolved(resolved: string | undefined): boolean {
  return resolved === undefined || /^https?:\/\/.+\.tgz(\?.*)?$/.test(resolved);
}

// v1: a nested tree under `dependencies`; direct dependencies come from package.json.
function fromV1Tree(tree: Record<string, V1Dependency>, manifests: ProjectManifests): LockGraph {
  const nodes = new Map<string, LockNode>();
  const visit = (entries: Record<string, V1Dependency>, parent: string) => {
    for (const [name, entry] of Object.entries(entries)) {
      const location = parent ? `${parent}/node_modules/${name}` : `node_modules/${name}`;
      const version = registryVersion(name, entry.version);
      if (version && !entry.bundled) nodes.set(location, { ...version, dependencies: [], dev: entry.dev === true });
      if (entry.dependencies) visit(entry.dependencies, location);
    }
  };
  visit(tree, "");
  const roots: LockRoot[] = [];
  for (const dependency of declaredDependencies(manifests.get(".") ?? {})) {
    const nodeId = `node_modules/${dependency.name}`;
    if (nodes.has(nodeId)) roots.push({ importer: ".", name: dependency.name, nodeId, dev: dependency.dev });
  }
  return { nodes, roots };
}

// v1 writes aliases as "npm:real-name@1.2.3" and git/file deps as URLs.
function registryVersion(name: string, version: string): { name: string; version: string } | undefined {
  if (version.startsWith("npm:")) {
    const spec = version.slice(4);
    const at = spec.lastIndexOf("@");
    return at > 0 ? { name: spec.slice(0, at), version: spec.slice(at + 1) } : undefined;
  }
  return /^\d/.test(version) ? { name, version } : undefined;
}
