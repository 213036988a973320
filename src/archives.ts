import { Transform, type TransformCallback } from "node:stream";
import { createGunzip } from "node:zlib";
import { Inflate } from "fflate";

/**
 * The one rule for archives from a registry or an index (sdists, wheels, npm tarballs): every member
 * read is bounded in size, and no archive inflates past a total or a ratio of its compressed size.
 */
export interface ArchiveLimits {
  /** Largest member read; a wanted member beyond it fails the archive (a 50 MB "changelog" is not one). */
  memberBytes: number;
  /** Most bytes the whole archive may inflate to, and how many times its compressed size (an archive bomb). */
  inflatedBytes: number;
  ratio: number;
  /** Largest .zip downloaded whole (its central directory is at its end). */
  zipBytes: number;
}

const MiB = 1024 * 1024;
export const sdistLimits: ArchiveLimits = { memberBytes: 2 * MiB, inflatedBytes: 512 * MiB, ratio: 200, zipBytes: 64 * MiB };
// Wheels: METADATA, RECORD, and .py/.pyi sources for the API diff (a generated module can be several MB).
export const wheelLimits: ArchiveLimits = { memberBytes: 16 * MiB, inflatedBytes: 256 * MiB, ratio: 200, zipBytes: 40 * MiB };
// npm tarballs: changelogs and .d.ts files are kept up to memberBytes; the rest is streamed past, counted.
export const tarballLimits: ArchiveLimits = { memberBytes: 4 * MiB, inflatedBytes: 512 * MiB, ratio: 200, zipBytes: 0 };

// Early in a stream gzip may run ahead of the input it was given, and a small member may compress
// very well: the ratio is checked past this much.
const ratioSlack = 16 * MiB;
const memberRatioSlack = MiB;
// Compressed bytes given to the inflater at a time: deflate inflates at most ~1032:1, so one push stays small.
const sliceBytes = 4096;

/** The archive cannot be read, or holds something refused; the message says which member. */
export class ArchiveError extends Error {
  override name = "ArchiveError";
}

export const megabytes = (bytes: number) => `${(bytes / MiB).toFixed(bytes < MiB ? 2 : 0)} MB`;

/** Whether a stream that took `compressed` bytes and gave `inflated` has gone past the limits. */
export function inflationExceeded(inflated: number, compressed: number, limits: ArchiveLimits): boolean {
  return inflated > limits.inflatedBytes || inflated > compressed * limits.ratio + ratioSlack;
}

/**
 * One raw-deflate member inflated in slices and stopped at `maxBytes` (or `ratio` times its compressed
 * size), whatever its header claims: the whole output is never produced. `what` names it in errors.
 */
export function inflateMember(data: Uint8Array, limits: Pick<ArchiveLimits, "memberBytes" | "ratio">, what: string): Uint8Array {
  const maxBytes = Math.min(limits.memberBytes, data.byteLength * limits.ratio + memberRatioSlack);
  const chunks: Uint8Array[] = [];
  let total = 0;
  let tooLarge = false;
  const inflater = new Inflate((chunk) => {
    total += chunk.byteLength;
    if (total > maxBytes) tooLarge = true;
    else chunks.push(chunk);
  });
  try {
    for (let at = 0; at < data.byteLength && !tooLarge; at += sliceBytes) inflater.push(data.subarray(at, at + sliceBytes), at + sliceBytes >= data.byteLength);
  } catch (error) {
    throw new ArchiveError(`${what} could not be inflated (${(error as Error).message})`);
  }
  // Its header said it was small: it inflates to more (an archive bomb?).
  if (tooLarge) throw new ArchiveError(`${what} inflates to more than ${megabytes(maxBytes)} from ${megabytes(data.byteLength)}; not read further (an archive bomb?)`);
  return Buffer.concat(chunks);
}

/**
 * How much a streamed gunzip inflates at a time. zlib's default (16 KB) costs a thread-pool round trip
 * and a stream push for every 16 KB out: reading six large npm tarballs took 600 ms so, 285 ms at 256 KB.
 */
export const gunzipChunkBytes = 256 * 1024;

/**
 * A gunzip that counts what goes in and what comes out and fails with an ArchiveError past the
 * limits; input that is not gzip passes through unchanged (a plain tar is bounded by its download).
 */
export function boundedGunzip(limits: ArchiveLimits, what: string): Transform {
  let compressed = 0;
  let inflated = 0;
  let gunzip: ReturnType<typeof createGunzip> | undefined;
  let plain = false;
  let done: TransformCallback | undefined;
  const output: Transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      compressed += chunk.length;
      if (!gunzip && !plain) {
        plain = !(chunk[0] === 0x1f && chunk[1] === 0x8b);
        if (!plain) {
          gunzip = createGunzip({ chunkSize: gunzipChunkBytes });
          gunzip.on("data", (data: Buffer) => {
            inflated += data.length;
            if (inflationExceeded(inflated, compressed, limits)) {
              gunzip?.destroy();
              output.destroy(new ArchiveError(`${what} inflates to more than ${megabytes(inflated)} from ${megabytes(compressed)}; not read further (an archive bomb?)`));
            } else output.push(data);
          });
          gunzip.on("error", (error) => output.destroy(new ArchiveError(`${what} is not a gzip file (${error.message})`)));
          gunzip.on("end", () => done?.());
        }
      }
      if (plain) return callback(null, chunk);
      // Back-pressure: the next compressed chunk is taken once this one is inflated.
      if (gunzip?.write(chunk)) callback();
      else gunzip?.once("drain", () => callback());
    },
    flush(callback) {
      if (!gunzip) return callback();
      done = callback;
      gunzip.end();
    },
  });
  return output;
}
