import os from "node:os";
import path from "node:path";
import cacache from "cacache";

/** $BUMPWISE_CACHE_DIR, else $XDG_CACHE_HOME/bumpwise, else ~/.cache/bumpwise. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BUMPWISE_CACHE_DIR) return path.resolve(env.BUMPWISE_CACHE_DIR);
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, "bumpwise");
  return path.join(os.homedir(), ".cache", "bumpwise");
}

/** A content-addressed JSON store, safe when several runs share it. */
export interface JsonCache {
  get<T>(key: string): Promise<T | undefined>;
  /** Writes in the background, off the run's critical path; a failed write only costs a re-fetch. */
  put(key: string, value: unknown): void;
  /** Waits for every write started so far. */
  flush(): Promise<void>;
}

export function openCache(dir: string): JsonCache {
  const store = path.join(dir, "_cacache");
  const pending = new Set<Promise<unknown>>();
  return {
    async get<T>(key: string) {
      try {
        const { data } = await cacache.get(store, key);
        return JSON.parse(data.toString("utf8")) as T;
      } catch {
        return undefined;
      }
    },
    put(key, value) {
      const write = cacache.put(store, key, JSON.stringify(value)).catch(() => undefined);
      pending.add(write);
      void write.finally(() => pending.delete(write));
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
