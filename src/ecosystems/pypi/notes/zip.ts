import { inflateMember } from "../../../archives.js";
import { type ArchiveLimits, ArchiveError, type ArchiveMembers, decodeText, DownloadBrokenOff, megabytes, memberPath } from "./archive-member.js";

/**
 * A .zip sdist (pre-2022 Windows uploads): downloaded whole up to `zipBytes`, because whether a
 * member is a symbolic link is said only in the central directory at the end; then only the wanted
 * members are inflated, each stopped at `memberBytes` whatever its header claims.
 */
export async function zipMembers(archive: { filename: string; body: ReadableStream<Uint8Array>; bytes?: number }, wanted: (path: string) => boolean, limits: ArchiveLimits): Promise<ArchiveMembers> {
  const { filename } = archive;
  const bytes = await download(filename, archive.body, limits.zipBytes);
  if (archive.bytes !== undefined && bytes.byteLength < archive.bytes) throw new DownloadBrokenOff(filename, bytes.byteLength, archive.bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: ArchiveMembers = { paths: [], texts: new Map(), skipped: new Map() };
  let at = centralDirectory(filename, view);
  while (at + 46 <= bytes.byteLength && view.getUint32(at, true) === 0x02014b50) {
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const next = at + 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const madeOnUnix = view.getUint8(at + 5) === 3;
    const fileType = (view.getUint32(at + 38, true) >>> 16) & 0o170000;
    const localOffset = view.getUint32(at + 42, true);
    const raw = decodeText(bytes.subarray(at + 46, at + 46 + nameLength));
    at = next;
    if (raw.endsWith("/")) continue;
    const where = memberPath(raw);
    const link = madeOnUnix && fileType === 0o120000;
    if (!link && !("refused" in where)) found.paths.push(where.path);
    if (!where.path || !wanted(where.path)) continue;
    if ("refused" in where) found.skipped.set(where.path, `${where.refused} in the archive (${JSON.stringify(raw.slice(0, 120))})`);
    else if (link) found.skipped.set(where.path, "a link in the archive; links are not followed");
    else if (flags & 1) found.skipped.set(where.path, "encrypted");
    else if (method !== 0 && method !== 8) found.skipped.set(where.path, `compressed with method ${method}, which is not read`);
    else if (size > limits.memberBytes) throw new ArchiveError(`${where.path} in ${filename} is ${megabytes(size)}; changelogs are read up to ${megabytes(limits.memberBytes)}`);
    else found.texts.set(where.path, decodeText(memberData(filename, where.path, view, bytes, localOffset, compressedSize, method, limits.memberBytes)));
  }
  return found;
}

async function download(filename: string, body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new ArchiveError(`${filename} is larger than ${megabytes(maxBytes)}; a .zip sdist is read up to that`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function centralDirectory(filename: string, view: DataView): number {
  for (let at = view.byteLength - 22; at >= Math.max(0, view.byteLength - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) !== 0x06054b50) continue;
    const offset = view.getUint32(at + 16, true);
    if (offset === 0xffffffff) throw new ArchiveError(`${filename} is a ZIP64 archive, which is not read`);
    return offset;
  }
  throw new ArchiveError(`${filename} is not a zip archive`);
}

function memberData(filename: string, path: string, view: DataView, bytes: Uint8Array, offset: number, compressedSize: number, method: number, maxBytes: number): Uint8Array {
  if (offset + 30 > bytes.byteLength || view.getUint32(offset, true) !== 0x04034b50) throw new ArchiveError(`${filename} is not a valid zip archive (${path} has no local header)`);
  const start = offset + 30 + view.getUint16(offset + 26, true) + view.getUint16(offset + 28, true);
  const data = bytes.subarray(start, start + compressedSize);
  if (method === 0) {
    if (data.byteLength > maxBytes) throw new ArchiveError(`${path} in ${filename} is larger than ${megabytes(maxBytes)}`);
    return data;
  }
  return inflateMember(data, { memberBytes: maxBytes, ratio: Number.POSITIVE_INFINITY }, `${path} in ${filename}`);
}
