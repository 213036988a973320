import { createHash } from "node:crypto";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openCache } from "../../src/registry/cache.js";

const entryFile = (dir: string, key: string) => {
  const digest = createHash("sha256").update(key).digest("hex");
  return path.join(dir, "json", digest.slice(0, 2), `${digest.slice(2)}.json`);
};

describe("the JSON cache", () => {
  it("gives back what a run (or another run sharing the folder) put, and nothing for an unknown key", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-cache-"));
    const first = openCache(dir);
    first.put("packument:v2:react", { versions: ["18.2.0", "18.3.1"] });
    await first.flush();
    expect(await openCache(dir).get("packument:v2:react")).toEqual({ versions: ["18.2.0", "18.3.1"] });
    expect(await first.get("packument:v2:vue")).toBeUndefined();
  });

  it("a later put replaces the entry whole, and leaves no temporary file behind", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-cache-"));
    const cache = openCache(dir);
    for (let round = 0; round < 20; round++) cache.put("notes", { round, text: "x".repeat(50_000) });
    await cache.flush();
    expect((await cache.get<{ round: number }>("notes"))?.round).toBeGreaterThanOrEqual(0);
    const folder = path.dirname(entryFile(dir, "notes"));
    expect((await readdir(folder)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("a file that is not an entry for the key (cut short, or another key's) is a miss", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-cache-"));
    const cache = openCache(dir);
    cache.put("a", 1);
    cache.put("b", 2);
    await cache.flush();
    await writeFile(entryFile(dir, "a"), '{"key":"a","value":');
    await writeFile(entryFile(dir, "b"), JSON.stringify({ key: "c", value: 3 }));
    expect(await cache.get("a")).toBeUndefined();
    expect(await cache.get("b")).toBeUndefined();
  });
});
