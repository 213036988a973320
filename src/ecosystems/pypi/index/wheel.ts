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
// When the central directory starts before the tail, the read that fetches it also takes this much
// before it: wheel builders write RECORD last, just before the directory.
const beforeDirectoryBytes = 256 * 1024;
// Wanted members this far apart (beyond their own sizes) are read one by one rather than in one range.
const gapBytes = 1024 * 1024;

/**
 * Whether a member is read: `true` always; "optional" only when its bytes come with the others' (or
 * when no member is wanted `true`: a fallback such as top_level.txt in a wheel without RECORD).
 */
export type WantedMember = (name: string) => boolean | "optional";

/**
 * The entries of a wheel that `wanted` names, read as pip's lazy wheel does but in as few requests as
 * the layout allows: the zip's tail (end of central directory, usually the directory itself and the
 * dist-info files written last), then one range reaching back to the first wanted member (or one read
 * per member when they lie far apart). A server that ignores ranges sends the whole file (up to
 * `maxBytes`), read the same way from memory. Every entry is inflated only up to the limits (size,
 * ratio, total): a bomb is an ArchiveError. Throws on a file that is not a zip archive.
 */
export async function wheelEntries(fetchRange: RangeFetch, wanted: WantedMember, maxBytes: number, limits: ArchiveLimits = wheelLimits): Promise<Map<string, Uint8Array>> {
  const tail = await fetchRange(`bytes=-${tailBytes}`);
  if (tail.status === 200 && tail.bytes.byteLength > maxBytes) return new Map();
  // The bytes held so far: always a suffix of the file, from `start` to its end.
  const window = { start: (tail.total ?? tail.bytes.byteLength) - tail.bytes.byteLength, bytes: tail.bytes };
  const total = window.start + window.bytes.byteLength;
  const extendTo = async (start: number) => {
    if (start >= window.start) return;
    if (window.start - start > maxBytes) throw new ArchiveError(`the wheel's wanted part is larger than ${megabytes(maxBytes)}`);
    const earlier = (await fetchRange(`bytes=${start}-${window.start - 1}`)).bytes;
    if (earlier.byteLength !== window.start - start) throw new Error("the index answered a range of the wrong size");
    window.bytes = Buffer.concat([earlier, window.bytes]);
    window.start = start;
  };
  const slice = (from: number, to: number) => window.bytes.subarray(from - window.start, to - window.start);

  const end = endOfCentralDirectory(slice(Math.max(window.start, total - tailBytes), total));
  if (end.size > maxBytes) throw new ArchiveError(`the wheel's central directory is larger than ${megabytes(maxBytes)}`);
  if (end.offset < window.start) await extendTo(Math.max(0, end.offset - beforeDirectoryBytes));
  const entries = centralEntries(slice(end.offset, end.offset + end.size)).filter((entry) => entry.compressedSize <= maxBytes);
  const required = entries.filter((entry) => wanted(entry.name) === true);
  const optional = entries.filter((entry) => wanted(entry.name) === "optional");
  const reading = required.length > 0 ? required : optional;
  const first = Math.min(...reading.map((entry) => entry.offset));
  const own = reading.reduce((sum, entry) => sum + 30 + entry.nameLength + localHeaderSlack + entry.compressedSize, 0);
  // Wanted members sit before the directory, so a window reaching the first holds them all.
  if (reading.length > 0 && window.start - first <= own + gapBytes) await extendTo(first);
  const found = new Map<string, Uint8Array>();
  let inflated = 0;
  for (const entry of [...reading, ...(reading === required ? optional.filter((entry) => entry.offset >= window.start) : [])]) {
    const data = memberData(entry, window.start <= entry.offset ? slice : await readAlone(fetchRange, entry));
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

type Slice = (from: number, to: number) => Uint8Array;

// A member far from the others: its local header and data in one read, a second when the header's extra field is longer than guessed.
async function readAlone(fetchRange: RangeFetch, entry: CentralEntry): Promise<Slice> {
  let bytes = (await fetchRange(`bytes=${entry.offset}-${entry.offset + 30 + entry.nameLength + localHeaderSlack + entry.compressedSize - 1}`)).bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength >= 30 && view.getUint32(0, true) === 0x04034b50) {
    const start = 30 + view.getUint16(26, true) + view.getUint16(28, true);
    if (start + entry.compressedSize > bytes.byteLength) bytes = (await fetchRange(`bytes=${entry.offset}-${entry.offset + start + entry.compressedSize - 1}`)).bytes;
  }
  return (from, to) => bytes.subarray(from - entry.offset, to - entry.offset);
}

function memberData(entry: CentralEntry, slice: Slice): Uint8Array {
  const header = slice(entry.offset, entry.offset + 30);
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (header.byteLength < 30 || view.getUint32(0, true) !== 0x04034b50) throw new Error("not a zip archive (bad local header)");
  const start = entry.offset + 30 + view.getUint16(26, true) + view.getUint16(28, true);
  const data = slice(start, start + entry.compressedSize);
  if (data.byteLength < entry.compressedSize) throw new Error(`not a zip archive (${entry.name} is cut short)`);
  return data;
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
