import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { ApiDegradation, ApiDiff } from "../../../../src/analysis/api-diff.js";
import { createApiAnalyzer } from "../../../../src/ecosystems/npm/api/index.js";
import { type ApiDiffRunner, createApiDiffRunner } from "../../../../src/ecosystems/npm/api/runner.js";
import { loadRegistryOptions } from "../../../../src/ecosystems/npm/registry/config.js";
import { createNpmRegistry } from "../../../../src/ecosystems/npm/registry/npm.js";
import { createTarballReader } from "../../../../src/ecosystems/npm/registry/tarball.js";
import { isDeclarationFile } from "../../../../src/ecosystems/npm/api/declarations.js";
import { openCache } from "../../../../src/registry/cache.js";
import { type FakeRegistry, startFakeRegistry } from "../../../helpers/fake-registry.js";

let registry: FakeRegistry;
beforeEach(async () => {
  registry = await startFakeRegistry();
});
afterEach(() => registry.close());

// The real thread diffs typed-fixture's two tarballs (scripts/make-typed-fixture.ts); what it cut short is set on its answer, as the runner
// sets it when the thread runs out of time or memory after the confident rules (a real zod 4.3 → 4.6
// comparison needs over a gigabyte and twenty seconds to get there: too much for a test).
async function twoRuns(reason: ApiDegradation): Promise<{ first: ApiDiff; second: ApiDiff; threadRuns: number }> {
  const projectDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-project-"));
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-cache-"));
  const options = await loadRegistryOptions({ projectDir, registry: registry.url, env: { npm_config_fetch_retries: "0", HOME: os.tmpdir() } });
  const cache = openCache(cacheDir);
  let threadRuns = 0;
  const run = async () => {
    const real = createApiDiffRunner({ timeoutMs: 20_000, heapMb: 512, threads: 1 });
    const runner: ApiDiffRunner = {
      ...real,
      async diff(from, to, review, used) {
        threadRuns++;
        const diff = await real.diff(from, to, review, used);
        return "unavailable" in diff ? diff : { ...diff, degraded: { reason, message: `cut short (${reason})` } };
      },
    };
    const npm = createNpmRegistry({ options, cache });
    const analyzer = createApiAnalyzer({ registry: npm, tarballs: createTarballReader({ options, keep: { bounded: isDeclarationFile } }), cache, runner, budgetKey: "test" });
    try {
      await npm.packument("typed-fixture", ["1.0.0"]);
      const [from, to] = await Promise.all([npm.manifest("typed-fixture", "1.0.0"), npm.manifest("typed-fixture", "1.1.0")]);
      return (await analyzer.diff("typed-fixture", from, to)) as ApiDiff;
    } finally {
      await analyzer.close();
      await cache.flush();
    }
  };
  const first = await run();
  const second = await run();
  return { first, second, threadRuns };
}

it("a comparison cut short by the heap is the pair's answer: kept, and the next run does not run out of memory again", async () => {
  const { first, second, threadRuns } = await twoRuns("heap");
  expect(first.degraded?.reason).toBe("heap");
  expect(first.findings).toContainEqual(expect.objectContaining({ symbol: "disconnect" }));
  expect(second).toEqual(first);
  expect(threadRuns).toBe(1);
}, 60_000);

it("one cut short by time is this run's: not kept, and the next run compares again", async () => {
  const { first, threadRuns } = await twoRuns("timeout");
  expect(first.degraded?.reason).toBe("timeout");
  expect(threadRuns).toBe(2);
}, 60_000);
