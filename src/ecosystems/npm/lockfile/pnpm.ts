import { parseYaml } from "./yaml.js";
import { at, expectFields, expectObject, expectOptionalStringMap, type JsonObject, ShapeError } from "../../../shape.js";
import { LockfileFormatError, type LockNode, type LockRoot } from "../../lock-graph.js";
import { type LockfileReader } from "./types.js";

// An importer's dependency: v6+ writes { specifier, version }, v5 wrote the version alone.
type ImporterDependency = string | { version: string };
interface Importer {
  dependencies?: Record<string, ImporterDependency>;
  devDependencies?: Record<string, ImporterDependency>;
  optionalDependencies?: Record<string, ImporterDependency>;
}
interface PackageEntry {
  resolution?: { tarball?: string; type?: string };
  dev?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
interface PnpmLock extends Importer {
  lockfileVersion: string | number;
  importers?: Record<string, Importer>;
  packages?: Record<string, PackageEntry>;
  snapshots?: Record<string, PackageEntry>;
}

const importerFields = ["dependencies", "devDependencies", "optionalDependencies"] as const;

// The fields bumpwise reads, each of the kind pnpm writes; anything else in the file is left alone.
function checkLock(document: unknown): PnpmLock {
  const lock = expectObject(document, "top level");
  if (typeof lock.lockfileVersion !== "string" && typeof lock.lockfileVersion !== "number") throw new ShapeError("lockfileVersion: expected a string or a number");
  checkImporter(lock, "top level");
  if (lock.importers !== undefined) {
    for (const [path, importer] of Object.entries(expectObject(lock.importers, "importers"))) checkImporter(expectObject(importer, at("importers", path)), at("importers", path));
  }
  for (const field of ["packages", "snapshots"] as const) {
    if (lock[field] === undefined) continue;
    for (const [key, entry] of Object.entries(expectObject(lock[field], field))) {
      const where = at(field, key);
      const fields = expectObject(entry, where);
      if (fields.resolution !== undefined) expectFields(expectObject(fields.resolution, at(where, "resolution")), { tarball: "string", type: "string" }, at(where, "resolution"));
      expectFields(fields, { dev: "boolean" }, where);
      expectOptionalStringMap(fields.dependencies, at(where, "dependencies"));
      expectOptionalStringMap(fields.optionalDependencies, at(where, "optionalDependencies"));
    }
  }
  return lock as unknown as PnpmLock;
}

function checkImporter(importer: JsonObject, where: string): void {
  for (const field of importerFields) {
    if (importer[field] === undefined) continue;
    for (const [name, dependency] of Object.entries(expectObject(importer[field], at(where, field)))) {
      if (typeof dependency === "string") continue;
      if (typeof expectObject(dependency, at(at(where, field), name)).version !== "string") throw new ShapeError(`${at(at(at(where, field), name), "version")}: expected a string`);
    }
  }
}

export const pnpmReader: LockfileReader = {
  manager: "pnpm",
  fileNames: ["pnpm-lock.yaml"],
  accepts: (content) => /^lockfileVersion:/m.test(content),
  parse(content) {
    let document: unknown;
    try {
      document = parseYaml(content);
    } catch (error) {
      throw new LockfileFormatError(`not valid YAML (${(error as Error).message.split("\n")[0]})`);
    }
    let lock: PnpmLock;
    try {
      lock = checkLock(document);
    } catch (error) {
      if (error instanceof ShapeError) throw new LockfileFormatError(`not a pnpm lockfile (${error.message})`);
      throw error;
    }
    const major = Number.parseFloat(String(lock.lockfileVersion));
    if (!(major >= 6)) {
      throw new LockfileFormatError(`pnpm lockfile version ${lock.lockfileVersion} is not supported (6.0 and 9.0 are)`);
    }
    const keyPrefix = major >= 9 ? "" : "/";
    const nodes = new Map<string, LockNode>();
    // v9 splits resolution ("packages", keyed name@version) from the graph ("snapshots", with peer suffixes).
    const graphEntries = lock.snapshots ?? lock.packages ?? {};
    for (const [key, entry] of Object.entries(graphEntries)) {
      const id = parseKey(key);
      if (!id) continue;
      const resolution = (lock.packages?.[`${keyPrefix}${id.name}@${id.version}`] ?? entry).resolution;
      if (resolution?.tarball || resolution?.type) continue;
      const dependencies = Object.entries({ ...entry.dependencies, ...entry.optionalDependencies }).map(
        ([name, reference]) => referenceKey(keyPrefix, name, reference),
      );
      nodes.set(key, {
        name: id.name,
        version: id.version,
        dependencies,
        ...(major < 9 ? { dev: entry.dev === true } : {}),
      });
    }
    const importers = lock.importers ?? { ".": lock };
    const roots: LockRoot[] = [];
    for (const [importer, fields] of Object.entries(importers)) {
      for (const [field, dev] of [
        ["dependencies", false],
        ["optionalDependencies", false],
        ["devDependencies", true],
      ] as const) {
        for (const [name, dependency] of Object.entries(fields[field] ?? {})) {
          const reference = typeof dependency === "string" ? dependency : dependency.version;
          const nodeId = referenceKey(keyPrefix, name, reference);
          if (nodes.has(nodeId)) roots.push({ importer, name, nodeId, dev });
        }
      }
    }
    return { nodes, roots };
  },
};

// "/@scope/name@1.2.3(peer@1.0.0)" or "name@1.2.3" → name and version; links and files are skipped.
function parseKey(key: string): { name: string; version: string } | undefined {
  const bare = (key.startsWith("/") ? key.slice(1) : key).replace(/\(.*$/, "");
  const at = bare.lastIndexOf("@");
  if (at <= 0) return undefined;
  const version = bare.slice(at + 1);
  return /^\d/.test(version) ? { name: bare.slice(0, at), version } : undefined;
}

// A dependency reference is a version ("1.2.3(peer@1)") or, for an alias, a full key ("real@1.2.3").
function referenceKey(prefix: string, name: string, reference: string): string {
  if (reference.startsWith("/")) return reference;
  if (/^(@[^/]+\/)?[^@(]+@/.test(reference)) return `${prefix}${reference}`;
  return `${prefix}${name}@${reference}`;
}
