import path from "node:path";
import { Readable } from "node:stream";
import type { ReadEntry } from "tar";
import { ArchiveError, boundedGunzip, tarballLimits } from "../../../archives.js";
import type { RegistryOptions } from "./config.js";
import { RegistryError } from "../../../registry/contract.js";

export interface TarballFile {
  path: string;
  content: string;
}

export interface TarballReader {
  /** Files at the package root whose names pass `wanted`, read from the version's published tarball. */
  rootFiles(name: string, version: string, tarballUrl: string, integrity: string | undefined, wanted: (file: string) => boolean): Promise<TarballFile[]>;
  /** Files anywhere in the package whose paths ("dist/index.d.ts") pass `wanted`. */
  files(name: string, version: string, tarballUrl: string, integrity: string | undefined, wanted: (file: string) => boolean): Promise<TarballFile[]>;
}

/**
 * Tarballs through pacote (npm's fetcher: .npmrc auth, integrity checks, its HTTP cache). Nothing is run.
 * Streamed through the tar parser: only the wanted files are kept, never the whole archive (a 20 MB
 * tarball used to be held whole, sixteen at a time).
 */
export function createTarballReader(setup: { options: RegistryOptions; cacheDir?: string; offline?: boolean; keepRoot?: (file: string) => boolean }): TarballReader {
  // Root files `keepRoot` names (a changelog), kept from any read of a tarball for a later `rootFiles` of
  // it with that same test: the release notes do not download and gunzip again the tarball the API diff
  // read. Each is handed out once, and at most keptBytes are held.
  const kept = new Map<string, Promise<TarballFile[] | undefined>>();
  let keptSize = 0;
  const keep = (url: string, files: Promise<TarballFile[]>) => {
    if (!setup.keepRoot) return;
    kept.set(url, files.then((read) => {
      const roots = read.filter((file) => !file.path.includes("/") && setup.keepRoot?.(file.path));
      const size = roots.reduce((sum, file) => sum + file.content.length, 0);
      if (keptSize + size > keptBytes) return undefined;
      keptSize += size;
      return roots;
    }, () => undefined));
  };
  // A root-files read in flight: a full read of the same tarball waits for it, then finds it in the cache
  // instead of downloading it a second time.
  const reading = new Map<string, Promise<unknown>>();
  async function rootFiles(name: string, version: string, tarballUrl: string, integrity: string | undefined, wanted: (file: string) => boolean): Promise<TarballFile[]> {
    const earlier = wanted === setup.keepRoot ? await kept.get(tarballUrl) : undefined;
    if (earlier) {
      kept.delete(tarballUrl);
      keptSize -= earlier.reduce((sum, file) => sum + file.content.length, 0);
      return earlier;
    }
    const read = readTarball(name, version, tarballUrl, integrity, (file) => !file.includes("/") && wanted(file));
    reading.set(tarballUrl, read.catch(() => undefined));
    return read.finally(() => reading.delete(tarballUrl));
  }
  async function files(name: string, version: string, tarballUrl: string, integrity: string | undefined, wanted: (file: string) => boolean): Promise<TarballFile[]> {
    const keepRoot = setup.keepRoot;
    const read = (async () => {
      if (setup.cacheDir) await reading.get(tarballUrl);
      return readTarball(name, version, tarballUrl, integrity, keepRoot ? (file) => wanted(file) || (!file.includes("/") && keepRoot(file)) : wanted);
    })();
    keep(tarballUrl, read);
    const all = await read;
    return keepRoot ? all.filter((file) => wanted(file.path)) : all;
  }
  async function readTarball(name: string, version: string, tarballUrl: string, integrity: string | undefined, wanted: (file: string) => boolean): Promise<TarballFile[]> {
    // pacote takes any package spec: a packument's `git+http://…` or `file:` would make it run git or
    // read a local file. Only a plain tarball URL is fetched.
    if (!isTarballUrl(tarballUrl, setup.options)) {
      throw new RegistryError("invalid", `the registry gives ${name}@${version} a tarball that is not an https URL (${JSON.stringify(tarballUrl.slice(0, 80))}); it was not fetched`);
    }
    // Loaded on the first tarball: a warm run, whose notes are cached, never needs it (nor its sigstore and tuf).
    const [{ default: pacote }] = await Promise.all([import("pacote"), loadTar()]);
    try {
      return await pacote.tarball.stream(tarballUrl, (stream) => readFiles(stream, wanted), {
        ...setup.options,
        ...(integrity ? { integrity } : {}),
        ...(setup.cacheDir ? { cache: path.join(setup.cacheDir, "_cacache") } : {}),
        offline: setup.offline === true,
      });
    } catch (error) {
      if (error instanceof ArchiveError) throw new RegistryError("invalid", `the tarball of ${name}@${version} was not read: ${error.message}`);
      const { code, statusCode } = error as { code?: string; statusCode?: number };
      if (code === "ENOTCACHED") throw new RegistryError("offline", `the tarball of ${name}@${version} is not cached and --offline is set`);
      if (code === "EINTEGRITY") throw new RegistryError("invalid", `the tarball of ${name}@${version} failed its integrity check`);
      throw new RegistryError(statusCode === 404 ? "not-found" : "network", `cannot fetch the tarball of ${name}@${version} (${statusCode ?? code ?? "error"})`);
    }
  }
  return { rootFiles, files };
}

const keptBytes = 32 * 1024 * 1024;

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

export function readRootFiles(tarball: Buffer, wanted: (file: string) => boolean): Promise<TarballFile[]> {
  return readFiles(tarball, (file) => !file.includes("/") && wanted(file));
}

let tar: typeof import("tar") | undefined;

// tar is loaded with the first tarball read: a run whose notes and diffs are cached reads none.
async function loadTar(): Promise<typeof import("tar")> {
  tar ??= await import("tar");
  return tar;
}

// Tarballs have one top folder ("package/" by convention, "node/" for @types/node…), stripped here.
// Gunzipped here, counted against the archive limits (a member skipped still inflates); wanted
// members are kept up to tarballLimits.memberBytes.
export async function readFiles(tarball: Buffer | NodeJS.ReadableStream, wanted: (file: string) => boolean): Promise<TarballFile[]> {
  const files: TarballFile[] = [];
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
      if (failed || !file || file.split("/").includes("..") || entry.type !== "File" || (entry.size ?? 0) > tarballLimits.memberBytes || !wanted(file)) {
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on("data", (chunk: Buffer) => chunks.push(chunk));
      entry.on("end", () => files.push({ path: file, content: Buffer.concat(chunks).toString("utf8") }));
    });
    parser.on("end", () => (failed ? undefined : resolve()));
    parser.on("error", fail);
    gunzip.on("error", fail);
    const source = Buffer.isBuffer(tarball) ? Readable.from([tarball]) : tarball;
    source.on("error", fail);
    source.pipe(gunzip).pipe(parser);
  });
  return files;
}
