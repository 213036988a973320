import type { LockGraph } from "../../lock-graph.js";
import type { PackageManager, PackageSource } from "../../../types.js";
import type { Pyproject } from "../pyproject.js";

/** The project files a Python lockfile is read beside. */
export interface PythonProjectFiles {
  dir: string;
  /** Absent when the project has no pyproject.toml (a requirements-only or Pipfile project). */
  pyproject?: Pyproject;
  /** A file of the project by relative path; undefined when it does not exist. */
  readText(relative: string): Promise<string | undefined>;
}

/** A Python lock graph, with the packages that come from elsewhere than the index. */
export interface PythonLockGraph extends LockGraph {
  /** Lines the reader could not review, said once ("2 requirements are ranges, not pins: …"). */
  notes?: string[];
  /**
   * node id → where it was locked from when that is not the default index: git, a path, a direct URL,
   * or a registry with its URL (index.ts keeps only the registries other than the lock's most used one).
   */
  sources: Map<string, PackageSource>;
  /** Per importer ("." or a workspace member's folder), the names its pyproject declared when the lock was written (uv). */
  declaredWhenLocked?: Map<string, Set<string>>;
  /** The Python range the lockfile was resolved for, when it records one. */
  requiresPython?: string;
  /** Indexes the project pins packages to (uv's `index = …` in requires-dist): never the default one. */
  pinnedIndexes?: Set<string>;
}

export interface PythonLockfileReader {
  readonly manager: PackageManager;
  /** Whether this reader reads a file of that name (`requirements-dev.txt`, `uv.lock`). */
  reads(fileName: string): boolean;
  /** Throws LockfileFormatError (with file and line) on content it cannot read. */
  read(content: string, lockfile: string, project: PythonProjectFiles): Promise<PythonLockGraph>;
}

/** A requirement's target as written (`git+https://…`, `https://…/x.whl`, `./libs/x`, `file:///…`). */
export function sourceOf(target: string): PackageSource {
  if (/^(git|hg|svn|bzr)\+/.test(target)) return { kind: "git", url: target.replace(/^git\+/, "") };
  if (/^file:/.test(target) || !/^\w+:\/\//.test(target)) return { kind: "path", url: target };
  return { kind: "url", url: target };
}

export function emptyGraph(): PythonLockGraph {
  return { nodes: new Map(), roots: [], sources: new Map() };
}
