import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createNotesCollector } from "../../src/changelog/index.js";
import type { NotesSource } from "../../src/changelog/types.js";
import { openCache } from "../../src/registry/cache.js";

// A notes source standing for one registry's tarballs: each registry publishes its own "1.2.3".
function registrySource(label: string): NotesSource & { calls: number } {
  const source = {
    name: "tarball" as const,
    calls: 0,
    async fetch({ versions }: { versions: string[] }) {
      source.calls++;
      return versions.map((version) => ({ version, body: `notes of ${version} from ${label}`, source: "tarball" as const }));
    },
  };
  return source;
}

describe("the cache keeps each registry's answers apart", () => {
  it("a review against registry B does not show the notes cached from registry A", async () => {
    const cache = openCache(await mkdtemp(path.join(os.tmpdir(), "bumpwise-cache-")));
    const bump = { name: "pkg", to: "1.2.3", versionsInBetween: ["1.2.3"] };
    const a = registrySource("registry A");
    const fromA = await createNotesCollector({ sources: [a], cache, github: { calls: 0 }, scope: "https://a.example/" }).collect(bump, { version: "1.2.3" });
    await cache.flush();
    const b = registrySource("registry B");
    const fromB = await createNotesCollector({ sources: [b], cache, github: { calls: 0 }, scope: "https://b.example/" }).collect(bump, { version: "1.2.3" });
    expect(fromA.notes.versions[0]?.body).toBe("notes of 1.2.3 from registry A");
    expect(fromB.notes.versions[0]?.body).toBe("notes of 1.2.3 from registry B");
    await cache.flush();
    // The same registry again is answered from the cache.
    const again = registrySource("registry A, asked again");
    const cached = await createNotesCollector({ sources: [again], cache, github: { calls: 0 }, scope: "https://a.example/" }).collect(bump, { version: "1.2.3" });
    expect(cached.notes.versions[0]?.body).toBe("notes of 1.2.3 from registry A");
    expect(again.calls).toBe(0);
  });
});
