/**
 * Reading a few text members out of an sdist that nobody vetted: sizes are bounded, links and paths
 * that leave the archive are never read, and nothing is written anywhere.
 */
export { type ArchiveLimits, ArchiveError, megabytes, sdistLimits } from "../../../archives.js";
export { type ArchiveMembers, decodeText, DownloadBrokenOff, type MemberKind, memberPath } from "./archive-member.js";
import { type ArchiveLimits, sdistLimits } from "../../../archives.js";
import type { ArchiveMembers } from "./archive-member.js";

/** The wanted members of a .tar.gz or .zip sdist, read from its download stream (`bytes`: its Content-Length, when sent). */
export async function readSdistMembers(
  download: { filename: string; body: ReadableStream<Uint8Array>; bytes?: number },
  wanted: (path: string) => boolean,
  limits: ArchiveLimits = sdistLimits,
): Promise<ArchiveMembers> {
  if (/\.zip$/i.test(download.filename)) return (await import("./zip.js")).zipMembers(download, wanted, limits);
  return (await import("./tar.js")).tarGzMembers(download, wanted, limits);
}
