import { ArchiveError, type ArchiveLimits, inflateMember, megabytes, wheelLimits } from "../../../archives.js";

/** One HTTP answer for a byte range of the wheel (`undefined`: the whole file). */
export interface RangeAnswer {
  /** 206 for a range, 200 when the server sent the whole file instead. */
  status: number;
  bytes: Uint8Array;
  /** The file's full size, from Content-Range. */
  total?: number;
}

export type RangeFetch = (range: string) => Promise<RangeAnswer>;

const tailBytes = 64 * 1024;
const localHeaderSlack = 512;

/**
 * The entries of a wheel that `wanted` names, read as pip's lazy wheel does: the zip's central
 * directory from the end of the file, then only the wanted entries, with HTTP range requests. A
 * server that ignores ranges sends the whole file (up to `maxBytes`), read the same way from memory.
 * Every entry is inflated only up to the limits (size, ratio, total): a bomb is an ArchiveError.
 * Throws on a file that is not a zip archive.
 */
export async function wheelEntries(fetchRange: RangeFetch, wanted: (name: string) => boolean, maxBytes: number, limits: ArchiveLimits = wheelLimits): Promise<Map<string, Uint8Array>> {
  let fetch = fetchRange;
  let tail = await fetchRange(`bytes=-${tailBytes}`);
  if (tail.status === 200) {
    if (tail.bytes.byteLength > maxBytes) return new Map();
    const whole = tail.bytes;
    fetch = async (range) => {
      const [, start = "0", end = ""] = /^bytes=(\d+)-(\d*)$/.exec(range) ?? [];
      return { status: 206, bytes: whole.subarray(Number(start), end === "" ? undefined : Number(end) + 1), total: whole.byteLength };
    };
    tail = { status: 206, bytes: whole.subarray(Math.max(0, whole.byteLength - tailBytes)), total: whole.byteLength };
  }
  const total = tail.total ?? tail.bytes.byteLength;
  const tailStart = total - tail.bytes.byteLength;
  const end = endOfCentralDirectory(tail.bytes);
  const directory = end.offset >= tailStart
    ? tail.bytes.subarray(end.offset - tailStart, end.offset - tailStart + end.size)
    : (await fetch(`bytes=${end.offset}-${end.offset + end.size - 1}`)).bytes;
  const found = new Map<string, Uint8Array>();
  let inflated = 0;
  for (const entry of centralEntries(directory).filter((candidate) => wanted(candidate.name))) {
    if (entry.compressedSize > maxBytes) continue;
    let local = (await fetch(`bytes=${entry.offset}-${entry.offset + 30 + entry.nameLength + localHeaderSlack + entry.compressedSize - 1}`)).bytes;
    const view = new DataView(local.buffer, local.byteOffset, local.byteLength);
    if (local.byteLength < 30 || view.getUint32(0, true) !== 0x04034b50) throw new Error("not a zip archive (bad local header)");
    const start = 30 + view.getUint16(26, true) + view.getUint16(28, true);
    if (start + entry.compressedSize > local.byteLength) {
      local = (await fetch(`bytes=${entry.offset}-${entry.offset + start + entry.compressedSize - 1}`)).bytes;
    }
    const data = local.subarray(start, start + entry.compressedSize);
    const what = `${entry.name} in the wheel`;
    let bytes: Uint8Array | undefined;
    if (entry.method === 0) {
      if (data.byteLength > limits.memberBytes) throw new ArchiveError(`${what} is larger than ${megabytes(limits.memberBytes)}`);
      bytes = data;
    } else if (entry.method === 8) bytes = inflateMember(data, limits, what);
    if (!bytes) continue;
    inflated += bytes.byteLength;
    if (inflated > limits.inflatedBytes) throw new ArchiveError(`the wheel's wanted members inflate to more than ${megabytes(limits.inflatedBytes)}; not read further`);
    found.set(entry.name, bytes);
  }
  return found;
}

function endOfCentralDirectory(tail: Uint8Array): { offset: number; size: number } {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  for (let at = tail.byteLength - 22; at >= 0; at--) {
    if (view.getUint32(at, true) !== 0x06054b50) continue;
    const size = view.getUint32(at + 12, true);
    const offset = view.getUint32(at + 16, true);
    if (size === 0xffffffff || offset === 0xffffffff) throw new Error("a ZIP64 archive (not read by range)");
    return { offset, size };
  }
  throw new Error("not a zip archive (no end of central directory)");
}

interface CentralEntry {
  name: string;
  nameLength: number;
  method: number;
  compressedSize: number;
  offset: number;
}

function centralEntries(directory: Uint8Array): CentralEntry[] {
  const view = new DataView(directory.buffer, directory.byteOffset, directory.byteLength);
  const entries: CentralEntry[] = [];
  let at = 0;
  while (at + 46 <= directory.byteLength && view.getUint32(at, true) === 0x02014b50) {
    const nameLength = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(directory.subarray(at + 46, at + 46 + nameLength));
    entries.push({ name, nameLength, method: view.getUint16(at + 10, true), compressedSize: view.getUint32(at + 20, true), offset: view.getUint32(at + 42, true) });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}
