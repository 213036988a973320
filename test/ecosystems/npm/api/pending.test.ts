import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createApiAnalyzer, pairsLoadedPerThread } from "../../../../src/ecosystems/npm/api/index.js";
import { type ApiDiffRunner, createApiDiffRunner } from "../../../../src/ecosystems/npm/api/runner.js";
import { type JsonCache, noCache } from "../../../../src/registry/cache.js";
import { loadRegistryOptions } from "../../../../src/ecosystems/npm/registry/config.js";
import { createNpmRegistry } from "../../../../src/ecosystems/npm/registry/npm.js";
import { createTarballReader } from "../../../../src/ecosystems/npm/registry/tarball.js";
import { isDeclarationFile } from "../../../../src/ecosystems/npm/api/declarations.js";
import { type FakeRegistry, startFakeRegistry } from "../../../helpers/fake-registry.js";

let registry: FakeRegistry;
beforeEach(async () => {
  registry = await startFakeRegistry();
});
afterEach(() => registry.close());

it("holds at most pairsLoadedPerThread pairs' declarations a thread at once, however many bumps ask together", async () => {
  const projectDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-project-"));
  const options = await loadRegistryOptions({ projectDir, registry: registry.url, env: { npm_config_fetch_retries: "0", HOME: os.tmpdir() } });
  const npm = createNpmRegistry({ options, cache: noCache });
  const real = createApiDiffRunner({ timeoutMs: 20_000, heapMb: 512, threads: 1 });
  // A pair is counted from its first step (starting the thread, before its tarballs are read) to its
  // last (keeping the answer). The recorded commander tarballs ship no declarations and there is no
  // @types/commander: each pair reads both tarballs and ends with that answer, no thread needed.
  let held = 0;
  let mostHeld = 0;
  const runner: ApiDiffRunner = { ...real, warm: () => void (mostHeld = Math.max(mostHeld, ++held)) };
  const cache: JsonCache = { ...noCache, put: () => void held-- };
  const analyzer = createApiAnalyzer({ registry: npm, tarballs: createTarballReader({ options, keep: { bounded: isDeclarationFile } }), cache, runner, budgetKey: "test" });
  try {
    await npm.packument("commander", ["11.0.0"]);
    const [from, to] = await Promise.all([npm.manifest("commander", "11.0.0"), npm.manifest("commander", "11.1.0")]);
    const results = await Promise.all(Array.from({ length: 12 }, () => analyzer.diff("commander", from, to)));
    expect(results).toEqual(Array.from({ length: 12 }, () => ({ unavailable: "commander@11.0.0 ships no type declarations and @types/commander could not be found" })));
    expect(held).toBe(0);
    expect(mostHeld).toBe(real.threads * pairsLoadedPerThread);
    expect(mostHeld).toBeLessThan(12);
  } finally {
    await analyzer.close();
  }
});
