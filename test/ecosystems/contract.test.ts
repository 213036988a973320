import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detectEcosystem, ecosystems } from "../../src/ecosystems/index.js";
import { pythonLockfileReaders } from "../../src/ecosystems/pypi/lockfile/index.js";
import { lockfileReaders } from "../../src/ecosystems/npm/lockfile/index.js";
import type { PackageManager } from "../../src/types.js";
import { fixturesDir } from "../helpers/fake-registry.js";

// Every folder with a lockfile among the fixtures: the demos and fixtures/lockfiles/*.
const projects = ["demo", "demo-python", ...readdirSync(path.join(fixturesDir, "lockfiles")).map((name) => `lockfiles/${name}`)]
  .filter((dir) => statSync(path.join(fixturesDir, dir)).isDirectory());

describe("every registered reader reads a real lockfile of its format", () => {
  it("each ecosystem's lockfile names are detected, and every reader is exercised by a fixture", async () => {
    const seen = new Set<PackageManager>();
    for (const dir of projects) {
      const projectDir = path.join(fixturesDir, dir);
      const plugin = await detectEcosystem(projectDir, {});
      const inventory = await plugin.readInventory({ projectDir });
      expect(inventory.ecosystem, dir).toBe(plugin.ecosystem);
      expect(inventory.packages.length, dir).toBeGreaterThan(0);
      expect(inventory.packages.some((pkg) => pkg.direct), dir).toBe(true);
      seen.add(inventory.manager);
    }
    const registered = [...lockfileReaders, ...pythonLockfileReaders].map((reader) => reader.manager);
    // A new reader without a fixture fails here: add a folder under fixtures/lockfiles written by the tool.
    expect([...new Set(registered)].filter((manager) => !seen.has(manager))).toEqual([]);
  });

  it("each ecosystem names lockfiles only its own readers read, and its plugin names the same", async () => {
    for (const plugin of Object.values(ecosystems)) {
      expect((await plugin.load()).lockfileNames).toBe(plugin.lockfileNames);
      for (const name of plugin.lockfileNames) {
        const readers = plugin.ecosystem === "npm" ? lockfileReaders.filter((reader) => reader.fileNames.includes(name)) : pythonLockfileReaders.filter((reader) => reader.reads(name));
        expect(readers.length, `${plugin.ecosystem}: ${name}`).toBeGreaterThan(0);
      }
    }
  });
});
