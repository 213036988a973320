import path from "node:path";
import pacote from "pacote";
import { Parser, type ReadEntry } from "tar";
import type { RegistryOptions } from "./config.js";
import { RegistryError } from "./npm.js";

export interface TarballFile {
  path: string;
  content: string;
}

export interface TarballReader {
  /** Files at the package root whose names pass `wanted`, read from the version's published tarball. */
  rootFiles(name: string, version: string, tarballUrl: string, integrity: string | undefined, wanted: (file: string) => boolean): Promise<TarballFile[]>;
}

const maxFileBytes = 4 * 1024 * 1024;

/** Tarballs through pacote (npm's fetcher: .npmrc auth, integrity checks, its HTTP cache). Nothing is run. */
export function createTarballReader(setup: { options: RegistryOptions; cacheDir?: string; offline?: boolean }): TarballReader {
  return {
    async rootFiles(name, version, tarballUrl, integrity, wanted) {
      let tarball: Buffer;
      try {
        tarball = await pacote.tarball(tarballUrl, {
          ...setup.options,
          ...(integrity ? { integrity } : {}),
          ...(setup.cacheDir ? { cache: path.join(setup.cacheDir, "_cacache") } : {}),
          offline: setup.offline === true,
        });
      } catch (error) {
        const { code, statusCode } = error as { code?: string; statusCode?: number };
        if (code === "ENOTCACHED") throw new RegistryError("offline", `the tarball of ${name}@${version} is not cached and --offline is set`);
        if (code === "EINTEGRITY") throw new RegistryError("invalid", `the tarball of ${name}@${version} failed its integrity check`);
        throw new RegistryError(statusCode === 404 ? "not-found" : "network", `cannot fetch the tarball of ${name}@${version} (${statusCode ?? code ?? "error"})`);
      }
      return readRootFiles(tarball, wanted);
    },
  };
}

// Tarballs have one top folder ("package/" by convention, "node/" for @types/node…).
export async function readRootFiles(tarball: Buffer, wanted: (file: string) => boolean): Promise<TarballFile[]> {
  const files: TarballFile[] = [];
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser();
    parser.on("entry", (entry: ReadEntry) => {
      const parts = entry.path.split("/");
      const file = parts[1];
      if (parts.length !== 2 || !file || entry.type !== "File" || (entry.size ?? 0) > maxFileBytes || !wanted(file)) {
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on("data", (chunk: Buffer) => chunks.push(chunk));
      entry.on("end", () => files.push({ path: file, content: Buffer.concat(chunks).toString("utf8") }));
    });
    parser.on("end", () => resolve());
    parser.on("error", reject);
    parser.end(tarball);
  });
  return files;
}
