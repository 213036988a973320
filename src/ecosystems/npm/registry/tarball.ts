import { Readable } from "node:stream";
import type { ReadEntry } from "tar";
import { ArchiveError, boundedGunzip, tarballLimits } from "../../../archives.js";
import type { RegistryOptions } from "./config.js";
import { RegistryError } from "../../../registry/contract.js";

export interface TarballFile {
  path: string;
  content: string;
}

/** What one read of a tarball keeps: every member's path, and the content of those the run reads. */
export interface TarballContents {
  /** The members' paths ("dist/index.d.ts"), in archive order, the first `keptLimits.paths` of them. */
  paths: string[];
  /** The members the reader keeps (its `keep` test), each at most tarballLimits.memberBytes. */
  files: TarballFile[];
  /** More members passed `keep.bounded` than `keptLimits` allow: `files` holds the first of them. */
  overflow: boolean;
}

export interface TarballReader {
  /** A version's published tarball, downloaded once a run whoever asks (the notes, the API diff, a dependency's declarations). */
  read(name: string, version: string, tarballUrl: string, integrity: string | undefined): Promise<TarballContents>;
}

/**
 * What a run reads of a tarball: `always` (a changelog: a few files) whatever their number, `bounded` (the
 * declarations) up to `keptLimits`, past which the read says it overflowed.
 */
export interface TarballKeep {
  always?: (file: string) => boolean;
  bounded?: (file: string) => boolean;
}

/** Past these, a tarball's `bounded` members are no longer kept (the largest real declarations, typescript's, are ~9 MB in ~100 files; lucide-react ships 15 MB). */
export const keptLimits = { paths: 5000, files: 4000, bytes: 12 * 1024 * 1024 };

// The contents last read are held for the run's other readers of the same tarball (a release's notes and
// its declarations, a dependency's declarations shared by several pairs), up to this many characters, the
// least recently read dropped first. uptime-kuma's review: 16 M read 202 tarballs (2 of them twice), 48 M
// 200, 4 M 223; the peak memory was the same.
const defaultHeldChars = 16 * 1024 * 1024;

/**
 * Tarballs through pacote (npm's fetcher: .npmrc auth, integrity checks). Nothing is run, and nothing is
 * written to disk: what the run makes of a tarball (a changelog, an API diff) is cached, the tarball is
 * not (writing uptime-kuma's 60 MB of tarballs into a content-addressed store cost 1.5 s of a 12 s cold
 * review). Streamed through the tar parser: only what `keep` accepts is held, never the whole archive.
 */
export function createTarballReader(setup: { options: RegistryOptions; offline?: boolean; keep: TarballKeep; heldChars?: number }): TarballReader {
  const heldLimit = setup.heldChars ?? defaultHeldChars;
  const held = new Map<string, { contents: Promise<TarballContents>; chars: number }>();
  let heldChars = 0;
  const release = () => {
    for (const [url, entry] of held) {
      if (heldChars <= heldLimit) return;
      if (entry.chars === 0) continue;
      held.delete(url);
      heldChars -= entry.chars;
    }
  };
  function read(name: string, version: string, tarballUrl: string, integrity: string | undefined): Promise<TarballContents> {
    const known = held.get(tarballUrl);
    if (known) {
      held.delete(tarballUrl);
      held.set(tarballUrl, known);
      return known.contents;
    }
    const entry = { contents: readTarball(name, version, tarballUrl, integrity), chars: 0 };
    held.set(tarballUrl, entry);
    entry.contents.then(
      (contents) => {
        if (held.get(tarballUrl) !== entry) return;
        entry.chars = contents.files.reduce((sum, file) => sum + file.content.length, 0) || 1;
        heldChars += entry.chars;
        release();
      },
      // A failed read is not held: a later reader tries again.
      () => {
        if (held.get(tarballUrl) === entry) held.delete(tarballUrl);
      },
    );
    return entry.contents;
  }
  async function readTarball(name: string, version: string, tarballUrl: string, integrity: string | undefined): Promise<TarballContents> {
    // pacote takes any package spec: a packument's `git+http://…` or `file:` would make it run git or
    // read a local file. Only a plain tarball URL is fetched.
    if (!isTarballUrl(tarballUrl, setup.options)) {
      throw new RegistryError("invalid", `the registry gives ${name}@${version} a tarball that is not an https URL (${JSON.stringify(tarballUrl.slice(0, 80))}); it was not fetched`);
    }
    if (setup.offline) throw new RegistryError("offline", `the tarball of ${name}@${version} is not cached (tarballs never are) and --offline is set`);
    // Loaded on the first tarball: a warm run, whose notes are cached, never needs it (nor its sigstore and tuf).
    const [{ default: pacote }] = await Promise.all([import("pacote"), loadTar()]);
    try {
      // No `cache`: pacote's fetch then writes no copy of the tarball (an integrity given is still checked).
      return await pacote.tarball.stream(tarballUrl, (stream) => readFiles(stream, setup.keep), { ...setup.options, ...(integrity ? { integrity } : {}) });
    } catch (error) {
      if (error instanceof ArchiveError) throw new RegistryError("invalid", `the tarball of ${name}@${version} was not read: ${error.message}`);
      const { code, statusCode } = error as { code?: string; statusCode?: number };
      if (code === "EINTEGRITY") throw new RegistryError("invalid", `the tarball of ${name}@${version} failed its integrity check`);
      throw new RegistryError(statusCode === 404 ? "not-found" : "network", `cannot fetch the tarball of ${name}@${version} (${statusCode ?? code ?? "error"})`);
    }
  }
  return { read };
}

/** https:, or http: when a registry this project uses is itself http (a local mirror); nothing else. */
export function isTarballUrl(tarballUrl: string, options: RegistryOptions): boolean {
  let url: URL;
  try {
    url = new URL(tarballUrl);
  } catch {
    return false;
  }
  if (url.protocol === "https:") return true;
  if (url.protocol !== "http:") return false;
  const registries = Object.entries(options).filter(([key, value]) => (key === "registry" || key.endsWith(":registry")) && typeof value === "string");
  return registries.some(([, value]) => (value as string).startsWith("http:"));
}

let tar: typeof import("tar") | undefined;

// tar is loaded with the first tarball read: a run whose notes and diffs are cached reads none.
async function loadTar(): Promise<typeof import("tar")> {
  tar ??= await import("tar");
  return tar;
}

// Tarballs have one top folder ("package/" by convention, "node/" for @types/node…), stripped here.
// Gunzipped here, counted against the archive limits (a member skipped still inflates); kept members
// are at most tarballLimits.memberBytes each.
export async function readFiles(tarball: Buffer | NodeJS.ReadableStream, keep: TarballKeep): Promise<TarballContents> {
  const contents: TarballContents = { paths: [], files: [], overflow: false };
  let boundedFiles = 0;
  let boundedChars = 0;
  // Loaded before the stream is opened (readTarball): no tick passes between the stream and its listeners.
  const { Parser } = tar ?? (await loadTar());
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser();
    const gunzip = boundedGunzip(tarballLimits, "the tarball");
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      reject(error);
    };
    parser.on("entry", (entry: ReadEntry) => {
      const file = entry.path.split("/").slice(1).join("/");
      const member = !failed && file !== "" && !file.split("/").includes("..") && entry.type === "File";
      if (member && contents.paths.length < keptLimits.paths) contents.paths.push(file);
      const size = entry.size ?? 0;
      const always = member && keep.always?.(file) === true;
      const bounded = member && !always && keep.bounded?.(file) === true;
      if (bounded && (boundedFiles >= keptLimits.files || boundedChars + size > keptLimits.bytes)) contents.overflow = true;
      if (!member || size > tarballLimits.memberBytes || (!always && (!bounded || contents.overflow))) {
        entry.resume();
        return;
      }
      if (bounded) {
        boundedFiles++;
        boundedChars += size;
      }
      const chunks: Buffer[] = [];
      entry.on("data", (chunk: Buffer) => chunks.push(chunk));
      entry.on("end", () => contents.files.push({ path: file, content: Buffer.concat(chunks).toString("utf8") }));
    });
    parser.on("end", () => (failed ? undefined : resolve()));
    parser.on("error", fail);
    gunzip.on("error", fail);
    const source = Buffer.isBuffer(tarball) ? Readable.from([tarball]) : tarball;
    source.on("error", fail);
    source.pipe(gunzip).pipe(parser);
  });
  // Declarations past the limits are of no use: only what is always kept stays held.
  if (contents.overflow) contents.files = contents.files.filter((file) => keep.always?.(file.path) === true);
  return contents;
}
