import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApiAnalyzer } from "../../src/ecosystems/npm/api/index.js";
import { createApiDiffRunner } from "../../src/ecosystems/npm/api/runner.js";
import { loadRegistryOptions } from "../../src/ecosystems/npm/registry/config.js";
import { createNpmRegistry } from "../../src/ecosystems/npm/registry/npm.js";
import { createTarballReader } from "../../src/ecosystems/npm/registry/tarball.js";
import { isDeclarationFile } from "../../src/ecosystems/npm/api/declarations.js";
import { openCache } from "../../src/registry/cache.js";
import { type FakeRegistry, startFakeRegistry } from "../helpers/fake-registry.js";

let registry: FakeRegistry;
beforeEach(async () => {
  registry = await startFakeRegistry();
});
afterEach(() => registry.close());

describe("an @types lookup that failed is not a fact about the package", () => {
  // The recorded commander tarballs ship no declarations: the diff looks for @types/commander.
  it("a 500 for @types/commander says the lookup failed and is asked again next run; a 404 (absent) is kept", async () => {
    const projectDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-project-"));
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-cache-"));
    const options = await loadRegistryOptions({ projectDir, registry: registry.url, env: { npm_config_fetch_retries: "0", HOME: os.tmpdir() } });
    const cache = openCache(cacheDir);
    const diffOnce = async () => {
      // A new run: its own registry client and analyzer, the same cache folder.
      const npm = createNpmRegistry({ options, cache });
      const analyzer = createApiAnalyzer({ registry: npm, tarballs: createTarballReader({ options, keep: { bounded: isDeclarationFile } }), cache, runner: createApiDiffRunner({ timeoutMs: 20_000, heapMb: 512, threads: 1 }), budgetKey: "test" });
      try {
        await npm.packument("commander", ["11.0.0"]);
        const [from, to] = await Promise.all([npm.manifest("commander", "11.0.0"), npm.manifest("commander", "11.1.0")]);
        return await analyzer.diff("commander", from, to);
      } finally {
        await analyzer.close();
        await cache.flush();
      }
    };
    const asked = () => registry.requests.filter((request) => request.name === "@types/commander").length;

    registry.override("@types/commander", { status: 500 });
    expect(await diffOnce()).toEqual({ unavailable: "the declarations could not be read: the registry failed on @types/commander (500)" });
    const afterFailure = asked();
    expect(afterFailure).toBeGreaterThan(0);

    registry.override("@types/commander", { status: 404, body: JSON.stringify({ error: "Not found" }) });
    expect(await diffOnce()).toEqual({ unavailable: "commander@11.0.0 ships no type declarations and @types/commander could not be found" });
    expect(asked()).toBeGreaterThan(afterFailure);
    const afterAbsent = asked();

    expect(await diffOnce()).toEqual({ unavailable: "commander@11.0.0 ships no type declarations and @types/commander could not be found" });
    expect(asked()).toBe(afterAbsent);
  });
});
