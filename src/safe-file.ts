import { lstat, readFile, realpath, writeFile } from "node:fs/promises";
import path from "node:path";
import { RuntimeFailure } from "./errors.js";

/**
 * Why bumpwise may not read or write `relative` under `root` for the project, or undefined when it
 * may: only a regular file inside the project, reached without a symbolic link (a tracked link to a
 * file outside the repository would otherwise be written through, or its content read and quoted).
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

/** A file of the project the upgrade branch may not touch; the message names it and why, never its content. */
export class UnsafeProjectFile extends RuntimeFailure {
  override name = "UnsafeProjectFile";
}

/** `unsafeFile`, as an error: `what` says what was to be done ("the pin in", "the edit to"). */
export async function assertSafeFile(root: string, relative: string, what: string): Promise<void> {
  const unsafe = await unsafeFile(root, relative);
  if (unsafe) throw new UnsafeProjectFile(`${what} ${relative} was refused: ${unsafe}`);
}

/**
 * The one way the upgrade branch (and --verify's worktree) reads a project file it is about to change:
 * pins, hashes and edits all go through here and `writeProjectFile`.
 */
export async function readProjectFile(root: string, relative: string, what: string): Promise<string> {
  await assertSafeFile(root, relative, what);
  return readFile(path.join(root, relative), "utf8");
}

/** Writes a project file after the same check (checked again: the file may have been swapped since it was read). */
export async function writeProjectFile(root: string, relative: string, text: string, what: string): Promise<void> {
  await assertSafeFile(root, relative, what);
  await writeFile(path.join(root, relative), text);
}
