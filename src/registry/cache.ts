import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** $BUMPWISE_CACHE_DIR, else $XDG_CACHE_HOME/bumpwise, else ~/.cache/bumpwise. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BUMPWISE_CACHE_DIR) return path.resolve(env.BUMPWISE_CACHE_DIR);
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, "bumpwise");
  return path.join(os.homedir(), ".cache", "bumpwise");
}

/** A JSON store, safe when several runs share it. */
export interface JsonCache {
  get<T>(key: string): Promise<T | undefined>;
  /** Writes in the background, off the run's critical path; a failed write only costs a re-fetch. */
  put(key: string, value: unknown): void;
  /** Waits for every write started so far. */
  flush(): Promise<void>;
}

/** One entry's file: the key is kept beside the value and checked on read. */
interface Entry {
  key: string;
  value: unknown;
}

/**
 * One file per entry, named by the key's SHA-256, under `dir/json/`. An entry is written to a file of
 * its own and renamed into place, so a concurrent reader sees the old entry, the new one or none, never
 * part of one; a run's writes of one key land in the order they were made; an unreadable file is a
 * miss. A warm run is one read and one parse per entry, with no index to consult and no store library to load (cacache was a quarter of a warm run's start-up).
 */
export function openCache(dir: string): JsonCache {
  const store = path.join(dir, "json");
  const folders = new Map<string, Promise<unknown>>();
  const pending = new Set<Promise<unknown>>();
  const writing = new Map<string, Promise<void>>();
  const fileOf = (key: string) => {
    const digest = createHash("sha256").update(key).digest("hex");
    return path.join(store, digest.slice(0, 2), `${digest.slice(2)}.json`);
  };
  async function write(key: string, value: unknown): Promise<void> {
    const file = fileOf(key);
    const folder = path.dirname(file);
    if (!folders.has(folder)) folders.set(folder, mkdir(folder, { recursive: true }));
    await folders.get(folder);
    const temporary = `${file}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
    try {
      await writeFile(temporary, JSON.stringify({ key, value } satisfies Entry));
      await rename(temporary, file);
    } catch {
      await rm(temporary, { force: true });
    }
  }
  return {
    async get<T>(key: string) {
      try {
        const entry = JSON.parse(await readFile(fileOf(key), "utf8")) as Entry;
        return entry.key === key ? (entry.value as T) : undefined;
      } catch {
        return undefined;
      }
    },
    put(key, value) {
      // Writes of one key wait for the one before: otherwise a large write renamed after a later small
      // one would win, and the cache would keep the older answer.
      const written = (writing.get(key) ?? Promise.resolve()).then(() => write(key, value)).catch(() => undefined);
      writing.set(key, written);
      pending.add(written);
      void written.finally(() => {
        pending.delete(written);
        if (writing.get(key) === written) writing.delete(key);
      });
    },
    async flush() {
      await Promise.all(pending);
    },
  };
}

/** --no-cache: nothing is read or written. */
export const noCache: JsonCache = {
  get: async () => undefined,
  put: () => {},
  flush: async () => {},
};
