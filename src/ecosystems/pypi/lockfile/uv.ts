import { LockfileFormatError } from "../../lock-graph.js";
import { normaliseName } from "../names.js";
import { parseTomlFile, table, text } from "../pyproject.js";
import type { PackageSource } from "../../../types.js";
import { emptyGraph, type PythonLockfileReader } from "./types.js";

const readVersions = new Set([1]);

/**
 * uv.lock: every `[[package]]`, keyed by name, version and source (one name can be locked twice, for
 * different markers or local versions); the project's own entry (a `virtual` or `editable` source)
 * lists the direct dependencies, `dev-dependencies` by group.
 */
export const uvReader: PythonLockfileReader = {
  manager: "uv",
  reads: (fileName) => fileName === "uv.lock",
  async read(content, lockfile) {
    const document = parseTomlFile(content, lockfile);
    if (typeof document.version !== "number" || !readVersions.has(document.version)) {
      throw new LockfileFormatError(`${lockfile}: lock version ${String(document.version)} is not one bumpwise reads (it reads version 1)`);
    }
    const graph = emptyGraph();
    if (typeof document["requires-python"] === "string") graph.requiresPython = document["requires-python"];
    const packages = Array.isArray(document.package) ? document.package.map(table) : [];
    const byName = new Map<string, { id: string; version: string; source: string }[]>();
    const ids = packages.map((entry, index) => {
      const name = typeof entry.name === "string" ? normaliseName(entry.name) : undefined;
      if (!name) throw new LockfileFormatError(`${lockfile}: package ${index + 1} has no name`);
      const version = typeof entry.version === "string" ? entry.version : "";
      const source = sourceText(entry.source);
      const id = `${name}@${version}@${source}`;
      byName.set(name, [...(byName.get(name) ?? []), { id, version, source }]);
      return { id, name, version, source, kind: Object.keys(table(entry.source))[0] ?? "registry" };
    });
    const resolve = (reference: Record<string, unknown>): string[] => {
      const name = normaliseName(text(reference.name));
      const candidates = byName.get(name) ?? [];
      const version = typeof reference.version === "string" ? reference.version : undefined;
      const source = reference.source !== undefined ? sourceText(reference.source) : undefined;
      return candidates.filter((candidate) => (version === undefined || candidate.version === version) && (source === undefined || candidate.source === source)).map((candidate) => candidate.id);
    };
    packages.forEach((entry, index) => {
      const own = ids[index];
      if (!own) return;
      const edges = [
        ...arrayOfTables(entry.dependencies),
        ...Object.values(table(entry["optional-dependencies"])).flatMap(arrayOfTables),
      ];
      graph.nodes.set(own.id, { name: own.name, version: own.version, dependencies: edges.flatMap(resolve) });
      if (!isRoot(own.kind)) graph.sources.set(own.id, packageSource(own.kind, table(entry.source)[own.kind]));
      if (!isRoot(own.kind)) return;
      // The project itself (and each workspace member): its edges are the direct dependencies.
      const importer = own.kind === "virtual" || own.kind === "editable" ? String(table(entry.source)[own.kind]) : ".";
      const prod = [...arrayOfTables(entry.dependencies), ...Object.values(table(entry["optional-dependencies"])).flatMap(arrayOfTables)];
      const dev = Object.values(table(entry["dev-dependencies"])).flatMap(arrayOfTables);
      for (const [references, isDev] of [[prod, false], [dev, true]] as const) {
        for (const reference of references) {
          for (const nodeId of resolve(reference)) graph.roots.push({ importer, name: normaliseName(String(reference.name)), nodeId, dev: isDev });
        }
      }
      // What pyproject declared when the lock was written, for the sync check.
      const metadata = table(entry.metadata);
      const declared = [...arrayOfTables(metadata["requires-dist"]), ...Object.values(table(metadata["requires-dev"])).flatMap(arrayOfTables)];
      graph.declaredWhenLocked ??= new Map();
      const names = graph.declaredWhenLocked.get(importer) ?? new Set<string>();
      for (const reference of declared) {
        names.add(normaliseName(text(reference.name)));
        if (typeof reference.index === "string") (graph.pinnedIndexes ??= new Set()).add(reference.index);
      }
      graph.declaredWhenLocked.set(importer, names);
    });
    // A workspace whose root is not a project records the root's dependency groups in [manifest].
    for (const reference of Object.values(table(table(document.manifest)["dependency-groups"])).flatMap(arrayOfTables)) {
      for (const nodeId of resolve(reference)) graph.roots.push({ importer: ".", name: normaliseName(String(reference.name)), nodeId, dev: true });
    }
    // A root entry's nodes are the project, not a dependency.
    for (const own of ids) if (isRoot(own.kind)) graph.nodes.delete(own.id);
    return graph;
  },
};

function isRoot(kind: string): boolean {
  return kind === "virtual" || kind === "editable";
}

// uv.lock source kinds: registry, git ("https://…?rev=…#commit"), url, path, directory (and editable/virtual roots).
function packageSource(kind: string, value: unknown): PackageSource {
  const url = typeof value === "string" ? value : undefined;
  const known = kind === "registry" || kind === "git" || kind === "url" ? kind : "path";
  return { kind: known, ...(url ? { url } : {}) };
}

function sourceText(source: unknown): string {
  const entries = Object.entries(table(source));
  if (entries.length === 0) return "registry";
  return entries.map(([key, value]) => `${key}=${String(value)}`).join(",");
}

function arrayOfTables(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(table) : [];
}
