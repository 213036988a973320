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
  put(key: string, value: unknown): Promise<void>;
}

export function openCache(dir: string): JsonCache {
  const store = path.join(dir, "_cacache");
  return {
    async get<T>(key: string) {
      try {
        const { data } = await cacache.get(store, key);
        return JSON.parse(data.toString("utf8")) as T;
      } catch {
        return undefined;
      }
    },
    async put(key, value) {
      await cacache.put(store, key, JSON.stringify(value));
    },
  };
}

/** --no-cache: nothing is read or written. */
export const noCache: JsonCache = {
  get: async () => undefined,
  put: async () => {},
};
