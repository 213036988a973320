import { inflateSync, unzipSync } from "fflate";

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
 * server that ignores ranges sends the whole file, which is unzipped in memory (up to `maxBytes`).
 * Throws on a file that is not a zip archive.
 */
export async function wheelEntries(fetchRange: RangeFetch, wanted: (name: string) => boolean, maxBytes: number): Promise<Map<string, Uint8Array>> {
  const tail = await fetchRange(`bytes=-${tailBytes}`);
  if (tail.status === 200) {
    if (tail.bytes.byteLength > maxBytes) return new Map();
    return new Map(Object.entries(unzipSync(tail.bytes, { filter: (file) => wanted(file.name) })));
  }
  const total = tail.total ?? tail.bytes.byteLength;
  const tailStart = total - tail.bytes.byteLength;
  const end = endOfCentralDirectory(tail.bytes);
  const directory = end.offset >= tailStart
    ? tail.bytes.subarray(end.offset - tailStart, end.offset - tailStart + end.size)
    : (await fetchRange(`bytes=${end.offset}-${end.offset + end.size - 1}`)).bytes;
  const found = new Map<string, Uint8Array>();
  for (const entry of centralEntries(directory).filter((candidate) => wanted(candidate.name))) {
    if (entry.compressedSize > maxBytes) continue;
    let local = (await fetchRange(`bytes=${entry.offset}-${entry.offset + 30 + entry.nameLength + localHeaderSlack + entry.compressedSize - 1}`)).bytes;
    const view = new DataView(local.buffer, local.byteOffset, local.byteLength);
    if (view.getUint32(0, true) !== 0x04034b50) throw new Error("not a zip archive (bad local header)");
    const start = 30 + view.getUint16(26, true) + view.getUint16(28, true);
    if (start + entry.compressedSize > local.byteLength) {
      local = (await fetchRange(`bytes=${entry.offset}-${entry.offset + start + entry.compressedSize - 1}`)).bytes;
    }
    const data = local.subarray(start, start + entry.compressedSize);
    if (entry.method === 0) found.set(entry.name, data);
    else if (entry.method === 8) found.set(entry.name, inflateSync(data));
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
