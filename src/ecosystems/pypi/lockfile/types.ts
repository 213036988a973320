import type { LockGraph } from "../../lock-graph.js";
import type { PackageManager } from "../../../types.js";
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
  /** node id → its non-index source (git URL, path, direct URL). */
  sources: Map<string, string>;
  /** Per importer ("." or a workspace member's folder), the names its pyproject declared when the lock was written (uv). */
  declaredWhenLocked?: Map<string, Set<string>>;
  /** The Python range the lockfile was resolved for, when it records one. */
  requiresPython?: string;
}

export interface PythonLockfileReader {
  readonly manager: PackageManager;
  /** Whether this reader reads a file of that name (`requirements-dev.txt`, `uv.lock`). */
  reads(fileName: string): boolean;
  /** Throws LockfileFormatError (with file and line) on content it cannot read. */
  read(content: string, lockfile: string, project: PythonProjectFiles): Promise<PythonLockGraph>;
}

export function emptyGraph(): PythonLockGraph {
  return { nodes: new Map(), roots: [], sources: new Map() };
}
