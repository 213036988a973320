import { mkdtemp, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openCache } from "../../src/registry/cache.js";

describe("writes of one cache key land in the order they were made", () => {
  it("a large write followed by a small one of the same key: the small one (the last) is what is kept", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-cache-"));
    const cache = openCache(dir);
    // The first write takes far longer to serialise and write than the second.
    cache.put("packument:v2:local-registry:left-pad", { history: "x".repeat(32 * 1024 * 1024), at: 1 });
    cache.put("packument:v2:local-registry:left-pad", { at: 2 });
    await cache.flush();
    expect(await cache.get("packument:v2:local-registry:left-pad")).toEqual({ at: 2 });
    expect(await openCache(dir).get("packument:v2:local-registry:left-pad")).toEqual({ at: 2 });
    // Renamed into place: no temporary file is left behind.
    const folders = await readdir(path.join(dir, "json"));
    const files = (await Promise.all(folders.map((folder) => readdir(path.join(dir, "json", folder))))).flat();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{62}\.json$/);
  });
});
