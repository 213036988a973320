// What the tar and zip readers share: a member's place under the sdist's top folder, its text, and what a read found.
export { type ArchiveLimits, ArchiveError, megabytes } from "../../../archives.js";

/** What was read: every regular member's path (under the sdist's top folder), the wanted ones' text, and the wanted ones skipped with why. */
export interface ArchiveMembers {
  paths: string[];
  texts: Map<string, string>;
  skipped: Map<string, string>;
}

export type MemberKind = "file" | "link" | "other";

/**
 * Where a raw member path lands under the sdist's top folder (`fastapi-0.65.2/CHANGES.rst` → `CHANGES.rst`),
 * or why it is not read: absolute names and `..` could only point outside it.
 */
export function memberPath(raw: string): { path: string } | { refused: string; path: string } {
  const parts = raw.replace(/\\/g, "/").split("/");
  const path = parts.slice(1).filter((part) => part !== "" && part !== ".").join("/");
  if (/^([a-z]:)?\//i.test(raw.replace(/\\/g, "/"))) return { refused: "an absolute path", path };
  if (parts.includes("..")) return { refused: "a path with ..", path };
  return { path };
}

/** UTF-8, else Latin-1: old changelogs were written in whatever the author's editor saved. */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder("latin1").decode(bytes);
  }
  return text.replace(/^\uFEFF/, "");
}

/** A download that ended before its Content-Length: worth trying again, unlike a broken archive. */
export class DownloadBrokenOff extends Error {
  override name = "DownloadBrokenOff";
  constructor(filename: string, received: number, expected: number) {
    super(`the download of ${filename} broke off after ${received} of ${expected} bytes`);
  }
}

