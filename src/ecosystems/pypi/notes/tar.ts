import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { ReadEntry } from "tar";
import { gunzipChunkBytes, inflationExceeded } from "../../../archives.js";
import { type ArchiveLimits, ArchiveError, type ArchiveMembers, decodeText, DownloadBrokenOff, megabytes, memberPath } from "./archive-member.js";

/**
 * A .tar.gz read as it downloads: gunzipped here (so the inflated size can be counted and bounded),
 * then parsed; only wanted members are kept, the rest skipped without being held.
 */
export async function tarGzMembers({ filename, body, bytes }: { filename: string; body: ReadableStream<Uint8Array>; bytes?: number }, wanted: (path: string) => boolean, limits: ArchiveLimits): Promise<ArchiveMembers> {
  const { Parser } = await import("tar");
  const found: ArchiveMembers = { paths: [], texts: new Map(), skipped: new Map() };
  const source = Readable.fromWeb(body);
  const gunzip = createGunzip({ chunkSize: gunzipChunkBytes });
  const parser = new Parser();
  let compressed = 0;
  let inflated = 0;
  let entries = 0;
  return new Promise<ArchiveMembers>((resolve, reject) => {
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      source.destroy();
      gunzip.destroy();
      reject(bytes !== undefined && compressed < bytes && !tooLarge ? new DownloadBrokenOff(filename, compressed, bytes) : new ArchiveError(message));
    };
    let tooLarge = false;
    source.on("data", (chunk: Buffer) => (compressed += chunk.length));
    source.on("error", (error) => fail(`${filename} could not be downloaded: ${error.message}`));
    gunzip.on("error", (error) => fail(`${filename} is not a gzip file (${error.message})`));
    gunzip.on("data", (chunk: Buffer) => {
      inflated += chunk.length;
      if (inflationExceeded(inflated, compressed, limits)) {
        tooLarge = true;
        fail(`${filename} inflates to more than ${megabytes(inflated)} from ${megabytes(compressed)}; not read further (an archive bomb?)`);
      } else if (!settled) parser.write(chunk);
    });
    gunzip.on("end", () => parser.end());
    parser.on("warn", (code: string, message: string | Error) => {
      if (code === "TAR_BAD_ARCHIVE" || code === "TAR_ABORT") fail(`${filename} is not a tar archive (${typeof message === "string" ? message : message.message})`);
    });
    parser.on("error", (error: Error) => fail(`${filename} is not a tar archive (${error.message})`));
    parser.on("entry", (entry: ReadEntry) => {
      entries++;
      const where = memberPath(entry.path);
      const kind = entry.type === "File" || entry.type === "OldFile" ? "file" : entry.type === "SymbolicLink" || entry.type === "Link" ? "link" : "other";
      if (kind === "file" && !("refused" in where)) found.paths.push(where.path);
      if (settled || kind === "other" || !where.path || !wanted(where.path)) return entry.resume();
      if ("refused" in where) {
        found.skipped.set(where.path, `${where.refused} in the archive (${JSON.stringify(entry.path.slice(0, 120))})`);
        return entry.resume();
      }
      if (kind === "link") {
        found.skipped.set(where.path, "a link in the archive; links are not followed");
        return entry.resume();
      }
      if ((entry.size ?? 0) > limits.memberBytes) {
        fail(`${where.path} in ${filename} is ${megabytes(entry.size ?? 0)}; changelogs are read up to ${megabytes(limits.memberBytes)}`);
        return entry.resume();
      }
      const chunks: Buffer[] = [];
      entry.on("data", (chunk: Buffer) => chunks.push(chunk));
      entry.on("end", () => found.texts.set(where.path, decodeText(Buffer.concat(chunks))));
    });
    parser.on("end", () => {
      if (settled) return;
      if (entries === 0) return fail(`${filename} is not a tar archive (no members)`);
      settled = true;
      resolve(found);
    });
    source.pipe(gunzip);
  });
}
