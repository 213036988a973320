import { LockfileFormatError } from "../../lock-graph.js";
import { normaliseName } from "../names.js";
import { parseTomlFile, table } from "../pyproject.js";
import { emptyGraph, type PythonLockfileReader, sourceOf } from "./types.js";

/**
 * Pipfile.lock: `default`, `develop` and any custom category, each pinned `==X`. The direct
 * dependencies are the Pipfile's sections (`[packages]`, `[dev-packages]`, custom categories).
 */
export const pipenvReader: PythonLockfileReader = {
  manager: "pipenv",
  reads: (fileName) => fileName === "Pipfile.lock",
  async read(content, lockfile, project) {
    let document: Record<string, unknown>;
    try {
      document = table(JSON.parse(content));
    } catch (error) {
      throw new LockfileFormatError(`${lockfile}: not valid JSON (${(error as Error).message})`);
    }
    if (!("_meta" in document)) throw new LockfileFormatError(`${lockfile}: no "_meta" section, so this is not a Pipfile.lock`);
    const pipfileText = await project.readText("Pipfile");
    const pipfile = pipfileText === undefined ? undefined : parseTomlFile(pipfileText, "Pipfile");
    const graph = emptyGraph();
    const requires = table(table(document._meta).requires);
    // Each entry names the Pipfile [[source]] it was locked from (`"index": "private"`): a registry source,
    // so a package from a non-default index is never planned from the default one (index.ts keeps the default).
    const indexes = new Map<string, string>();
    for (const source of Array.isArray(table(document._meta).sources) ? (table(document._meta).sources as unknown[]).map(table) : []) {
      if (typeof source.name === "string" && typeof source.url === "string") indexes.set(source.name, source.url);
    }
    if (typeof requires.python_version === "string") graph.requiresPython = `==${requires.python_version}.*`;
    for (const [category, entries] of Object.entries(document)) {
      if (category === "_meta") continue;
      const dev = category !== "default";
      const declared = new Set(Object.keys(table(pipfile?.[pipfileSection(category)])).map(normaliseName));
      for (const [rawName, value] of Object.entries(table(entries))) {
        const entry = table(value);
        const name = normaliseName(rawName);
        const pinned = typeof entry.version === "string" ? entry.version.replace(/^==/, "") : undefined;
        const source = (["git", "path", "file"] as const).map((key) => [key, entry[key]] as const).find(([, found]) => typeof found === "string");
        const version = pinned ?? (typeof entry.ref === "string" ? entry.ref : "");
        const id = `${name}@${version}`;
        const existing = graph.nodes.get(id);
        graph.nodes.set(id, { name, version, dependencies: [], dev: (existing?.dev ?? true) && dev });
        const index = typeof entry.index === "string" ? indexes.get(entry.index) : undefined;
        if (source) graph.sources.set(id, source[0] === "git" ? { kind: "git", url: String(source[1]) } : sourceOf(String(source[1])));
        else if (index) graph.sources.set(id, { kind: "registry", url: index });
        if (declared.has(name) || (!pipfile && entry.index !== undefined)) graph.roots.push({ importer: ".", name, nodeId: id, dev });
      }
    }
    return graph;
  },
};

// Pipfile.lock "default" is the Pipfile's [packages], "develop" its [dev-packages]; custom categories keep their name.
function pipfileSection(category: string): string {
  if (category === "default") return "packages";
  if (category === "develop") return "dev-packages";
  return category;
}

/** The names each Pipfile section declares, for the sync check. */
export function pipenvDeclarations(pipfileText: string): string[] {
  const pipfile = parseTomlFile(pipfileText, "Pipfile");
  return ["packages", "dev-packages", ...Object.keys(pipfile).filter((key) => !["source", "requires", "packages", "dev-packages", "scripts", "pipenv"].includes(key))]
    .flatMap((section) => Object.keys(table(pipfile[section])).map(normaliseName));
}
