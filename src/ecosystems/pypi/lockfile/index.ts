import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../../../errors.js";
import { inventoryFromGraph } from "../../lock-graph.js";
import { pythonLockfileNames } from "../detect.js";
import { LockfileFormatError } from "../../lock-graph.js";
import type { Inventory, PackageSource } from "../../../types.js";
import type { InventoryRequest } from "../../types.js";
import { defaultIndexUrl } from "../index/config.js";
import { type Pyproject, readPyproject } from "../pyproject.js";
import { pipenvDeclarations, pipenvReader } from "./pipenv.js";
import { poetryReader } from "./poetry.js";
import { pylockReader } from "./pylock.js";
import { requirementsReader } from "./requirements.js";
import type { PythonLockfileReader, PythonLockGraph, PythonProjectFiles } from "./types.js";
import { uvReader } from "./uv.js";

/** Every Python lockfile format bumpwise reads. Adding a format = adding a file and a line here. */
export const pythonLockfileReaders: readonly PythonLockfileReader[] = [uvReader, poetryReader, pipenvReader, pylockReader, requirementsReader];


/** What a Python review needs beside the inventory: the project's declarations and Python range. */
export interface PythonInventory extends Inventory {
  pyproject?: Pyproject;
  /** The Python range the lock was resolved for, when the lockfile records one. */
  lockRequiresPython?: string;
}

export async function readPythonInventory(request: InventoryRequest): Promise<PythonInventory> {
  const project = await projectFiles(path.resolve(request.projectDir));
  const lockfilePath = request.lockfilePath ? path.resolve(request.lockfilePath) : await detect(project);
  if (/\.in$/i.test(lockfilePath)) {
    const name = path.basename(lockfilePath);
    throw new InputError(`${name} is the input of a requirements compiler, not a lockfile: pin it with \`uv pip compile ${name} -o ${name.replace(/\.in$/i, ".txt")}\` (or \`pip-compile ${name}\`) and review ${name.replace(/\.in$/i, ".txt")}`);
  }
  const content = request.content ?? await readFile(lockfilePath, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new InputError(error.code === "ENOENT" ? `lockfile not found: ${lockfilePath}` : `cannot read lockfile ${lockfilePath} (${error.code ?? error.message})`);
  });
  const reader = pythonLockfileReaders.find((candidate) => candidate.reads(path.basename(lockfilePath)));
  if (!reader) throw new InputError(`${lockfilePath}: unknown lockfile format (bumpwise reads ${pythonLockfileNames.join(", ")} and other pinned requirements files)`);
  let graph: PythonLockGraph;
  try {
    graph = await reader.read(content, lockfilePath, project);
  } catch (error) {
    if (error instanceof LockfileFormatError) throw new InputError(error.message);
    throw error;
  }
  const drift = request.content === undefined ? await outOfSync(graph, reader, project) : undefined;
  if (drift) throw new InputError(`${path.basename(lockfilePath)} is out of sync with ${drift}; lock again first (${relockCommand[reader.manager] ?? "your tool's lock command"})`);
  const elsewhere = notFromTheIndex(graph);
  const packages = inventoryFromGraph(graph).map((pkg) => {
    const source = [...elsewhere].find(([id]) => id.startsWith(`${pkg.name}@${pkg.version}@`) || id === `${pkg.name}@${pkg.version}` || id === `${pkg.name}@direct`)?.[1];
    return source ? { ...pkg, source } : pkg;
  });
  return {
    ecosystem: "pypi",
    manager: reader.manager,
    lockfilePath,
    packages,
    ...(project.pyproject ? { pyproject: project.pyproject } : {}),
    ...(graph.requiresPython ? { lockRequiresPython: graph.requiresPython } : {}),
    ...(graph.notes ? { notes: graph.notes } : {}),
  };
}

/**
 * The sources that are not the index: git, paths, URLs, and registries other than the one the lock
 * mostly used (uv writes every package's registry URL; a mirror of PyPI is then the default, and
 * `[[tool.uv.index]] explicit` or a Poetry `legacy` source for a few packages is not).
 */
function notFromTheIndex(graph: PythonLockGraph): Map<string, PackageSource> {
  const counts = new Map<string, number>();
  for (const id of graph.nodes.keys()) {
    const source = graph.sources.get(id);
    const key = source === undefined ? "" : source.kind === "registry" ? (source.url ?? "") : undefined;
    if (key !== undefined && !graph.pinnedIndexes?.has(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  // On a tie, PyPI (no source recorded, or uv's pypi.org/simple) is the default.
  const rank = (key: string) => (key === "" || key === defaultIndexUrl ? 0.5 : 0);
  const main = [...counts].sort((a, b) => b[1] + rank(b[0]) - (a[1] + rank(a[0])))[0]?.[0] ?? "";
  return new Map([...graph.sources].filter(([, source]) => source.kind !== "registry" || (source.url ?? "") !== main));
}

// The command that makes the lockfile this project's files call for.
async function lockCommandFor(project: PythonProjectFiles): Promise<string> {
  const has = (name: string) => access(path.join(project.dir, name)).then(() => true, () => false);
  if (await has("requirements.in")) return "uv pip compile requirements.in -o requirements.txt";
  if (project.pyproject?.poetry) return "poetry lock";
  if (await has("Pipfile")) return "pipenv lock";
  return "uv lock";
}

const relockCommand: Record<string, string> = { uv: "uv lock", poetry: "poetry lock", pipenv: "pipenv lock", pip: "pip-compile", pylock: "the command in pylock.toml's header" };

async function projectFiles(dir: string): Promise<PythonProjectFiles> {
  const readText = async (relative: string) => {
    const resolved = path.resolve(dir, relative);
    if (path.relative(dir, resolved).startsWith("..")) return undefined;
    return readFile(resolved, "utf8").catch(() => undefined);
  };
  const text = await readText("pyproject.toml");
  let pyproject: Pyproject | undefined;
  try {
    pyproject = text === undefined ? undefined : readPyproject(text);
  } catch (error) {
    if (error instanceof LockfileFormatError) throw new InputError(error.message);
    throw error;
  }
  return { dir, readText, ...(pyproject ? { pyproject } : {}) };
}

async function detect(project: PythonProjectFiles): Promise<string> {
  const found: string[] = [];
  for (const name of pythonLockfileNames) {
    const candidate = path.join(project.dir, name);
    if (await access(candidate).then(() => true, () => false)) found.push(candidate);
  }
  if (found.length === 0) throw new InputError(`no lockfile in ${project.dir} (looked for ${pythonLockfileNames.join(", ")}); make one with \`${await lockCommandFor(project)}\`, or pass --lockfile PATH`);
  // A Poetry project with a stray uv.lock (or the reverse) is read with the tool pyproject names.
  const preferred = project.pyproject?.poetry ? found.find((file) => file.endsWith("poetry.lock")) : undefined;
  return preferred ?? (found[0] as string);
}

// A dependency declared but not locked (or locked but no longer declared) means the lock is stale.
function memberPyproject(text: string, file: string): Pyproject {
  try {
    return readPyproject(text);
  } catch (error) {
    if (error instanceof LockfileFormatError) throw new InputError(error.message.replace(/^pyproject\.toml/, file));
    throw error;
  }
}

async function outOfSync(graph: PythonLockGraph, reader: PythonLockfileReader, project: PythonProjectFiles): Promise<string | undefined> {
  const lockedNames = new Set([...graph.nodes.values()].map((node) => node.name));
  if (reader.manager === "pipenv") {
    const pipfile = await project.readText("Pipfile");
    const missing = pipfile === undefined ? [] : pipenvDeclarations(pipfile).filter((name) => !lockedNames.has(name));
    return missing.length > 0 ? `Pipfile: ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} declared but not locked` : undefined;
  }
  if (reader.manager === "pip") return undefined;
  // uv records what each importer (the root, each workspace member) declared: compare each with its own pyproject.
  const importers = graph.declaredWhenLocked ?? new Map([[".", undefined]]);
  for (const [importer, whenLocked] of importers) {
    const file = importer === "." ? "pyproject.toml" : `${importer}/pyproject.toml`;
    const text = importer === "." ? undefined : await project.readText(file);
    const pyproject = importer === "." ? project.pyproject : text === undefined ? undefined : memberPyproject(text, file);
    if (!pyproject) continue;
    // A direct-URL dependency (`name @ git+https://…`) is declared and locked like any other.
    const declared = new Set(pyproject.declarations.map((declaration) => declaration.name));
    const missing = [...declared].filter((name) => !lockedNames.has(name) && !whenLocked?.has(name));
    const dropped = whenLocked ? [...whenLocked].filter((name) => !declared.has(name)) : [];
    if (missing.length > 0) return `${file}: ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} declared but not locked`;
    if (dropped.length > 0) return `${file}: ${dropped.join(", ")} ${dropped.length === 1 ? "is" : "are"} locked but no longer declared`;
  }
  return undefined;
}
