import { lstat, realpath } from "node:fs/promises";
import path from "node:path";

/**
 * Why a suggested edit may not write to `relative` under `root`, or undefined when it may: only a
 * regular file inside the project, reached without a symbolic link (a tracked link to a file outside
 * the repository would otherwise be written through).
 */
export async function unsafeFile(root: string, relative: string): Promise<string | undefined> {
  const base = path.resolve(root);
  const target = path.resolve(base, relative);
  if (!target.startsWith(`${base}${path.sep}`)) return "it is outside the project";
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(target);
  } catch {
    return "the file cannot be read";
  }
  if (stats.isSymbolicLink()) return "it is a symbolic link";
  if (!stats.isFile()) return "it is not a regular file";
  const [realBase, realTarget] = await Promise.all([realpath(base), realpath(target)]);
  if (!realTarget.startsWith(`${realBase}${path.sep}`)) return "it resolves outside the project through a linked folder";
  return undefined;
}
