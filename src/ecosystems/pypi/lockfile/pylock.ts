import { LockfileFormatError } from "../../lock-graph.js";
import { normaliseName } from "../names.js";
import { parseTomlFile, table, text } from "../pyproject.js";
import { emptyGraph, type PythonLockfileReader } from "./types.js";

/**
 * pylock.toml (PEP 751, lock-version 1.x): `[[packages]]` with name and version, a name once per
 * version it is locked at. The direct dependencies are pyproject's; without dependency edges
 * (`uv export`, `uv pip compile` write none) a transitive package counts as production.
 */
export const pylockReader: PythonLockfileReader = {
  manager: "pylock",
  reads: (fileName) => /^pylock\.([^.]+\.)?toml$/.test(fileName),
  async read(content, lockfile, project) {
    const document = parseTomlFile(content, lockfile);
    const lockVersion = document["lock-version"];
    if (typeof lockVersion !== "string" || !/^1\.\d+$/.test(lockVersion)) {
      throw new LockfileFormatError(`${lockfile}: lock-version ${String(lockVersion)} is not one bumpwise reads (it reads 1.x)`);
    }
    const graph = emptyGraph();
    if (typeof document["requires-python"] === "string") graph.requiresPython = document["requires-python"];
    const packages = Array.isArray(document.packages) ? document.packages.map(table) : [];
    const idsByName = new Map<string, string[]>();
    for (const entry of packages) {
      const name = normaliseName(text(entry.name));
      if (!name) throw new LockfileFormatError(`${lockfile}: a [[packages]] entry has no name`);
      const id = `${name}@${typeof entry.version === "string" ? entry.version : ""}`;
      idsByName.set(name, [...(idsByName.get(name) ?? []), id]);
    }
    const declared = project.pyproject?.declarations ?? [];
    const devOnly = new Set(declared.filter((declaration) => declaration.group !== null && !declaration.extra).map((declaration) => declaration.name));
    for (const declaration of declared) if (declaration.group === null || declaration.extra) devOnly.delete(declaration.name);
    const hasEdges = packages.some((entry) => Array.isArray(entry.dependencies));
    for (const entry of packages) {
      const name = normaliseName(String(entry.name));
      const version = typeof entry.version === "string" ? entry.version : "";
      const id = `${name}@${version}`;
      const dependencies = (Array.isArray(entry.dependencies) ? entry.dependencies.map(table) : []).flatMap((reference) => idsByName.get(normaliseName(text(reference.name))) ?? []);
      graph.nodes.set(id, { name, version, dependencies, ...(hasEdges ? {} : { dev: devOnly.has(name) }) });
      const source = ["vcs", "directory", "archive"].map((key) => table(entry[key])).find((found) => Object.keys(found).length > 0);
      const kind = entry.vcs !== undefined ? "git" : entry.directory !== undefined ? "path" : "url";
      const where = source?.url ?? source?.path;
      if (source || !version) graph.sources.set(id, { kind, ...(typeof where === "string" ? { url: where } : {}) });
    }
    const roots = declared.length > 0 ? declared : packages.map((entry) => ({ name: normaliseName(String(entry.name)), group: null, extra: false }));
    for (const declaration of roots) {
      for (const nodeId of idsByName.get(declaration.name) ?? []) graph.roots.push({ importer: ".", name: declaration.name, nodeId, dev: declaration.group !== null && !declaration.extra });
    }
    return graph;
  },
};
