import { LockfileFormatError } from "../../lock-graph.js";
import { normaliseName } from "../names.js";
import { parseTomlFile, strings, table, text } from "../pyproject.js";
import { emptyGraph, type PythonLockfileReader } from "./types.js";

const readVersions = new Set(["1.1", "2.0", "2.1"]);

/**
 * poetry.lock (lock-version 1.1, 2.0, 2.1). It has no entry for the project: the direct dependencies
 * are pyproject's. Dev-only comes from `groups` (2.1) or `category` (1.1, 2.0).
 */
export const poetryReader: PythonLockfileReader = {
  manager: "poetry",
  reads: (fileName) => fileName === "poetry.lock",
  async read(content, lockfile, project) {
    const document = parseTomlFile(content, lockfile);
    const lockVersion = table(document.metadata)["lock-version"];
    if (typeof lockVersion !== "string" || !readVersions.has(lockVersion)) {
      throw new LockfileFormatError(`${lockfile}: lock-version ${String(lockVersion)} is not one bumpwise reads (it reads 1.1, 2.0 and 2.1)`);
    }
    const graph = emptyGraph();
    const python = table(document.metadata)["python-versions"];
    if (typeof python === "string") graph.requiresPython = python;
    const packages = Array.isArray(document.package) ? document.package.map(table) : [];
    const idsByName = new Map<string, string[]>();
    for (const entry of packages) {
      const name = normaliseName(text(entry.name));
      const id = `${name}@${text(entry.version)}`;
      idsByName.set(name, [...(idsByName.get(name) ?? []), id]);
    }
    for (const entry of packages) {
      const name = normaliseName(text(entry.name));
      if (!name || typeof entry.version !== "string") throw new LockfileFormatError(`${lockfile}: a [[package]] has no name or version`);
      const id = `${name}@${entry.version}`;
      const groups = strings(entry.groups);
      const dev = groups.length > 0 ? !groups.includes("main") : typeof entry.category === "string" ? entry.category !== "main" : undefined;
      const dependencies = Object.keys(table(entry.dependencies)).flatMap((dependency) => idsByName.get(normaliseName(dependency)) ?? []);
      graph.nodes.set(id, { name, version: entry.version, dependencies, ...(dev !== undefined ? { dev } : {}) });
      const source = table(entry.source);
      // Poetry's [package.source] types: legacy (a PEP 503 index), git, url, file, directory; none for PyPI.
      if (typeof source.type === "string") {
        const kind = source.type === "legacy" ? "registry" : source.type === "git" || source.type === "url" ? source.type : "path";
        graph.sources.set(id, { kind, ...(typeof source.url === "string" ? { url: source.url } : {}) });
      }
    }
    for (const declaration of project.pyproject?.declarations ?? []) {
      for (const nodeId of idsByName.get(declaration.name) ?? []) {
        graph.roots.push({ importer: ".", name: declaration.name, nodeId, dev: declaration.group !== null && !declaration.extra });
      }
    }
    return graph;
  },
};
