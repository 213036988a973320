import { createApiAnalyzer } from "./index.js";
import { adoptProjectThread } from "./project-thread.js";
import { type ApiBudget, createApiDiffRunner, defaultApiBudget } from "./runner.js";
import type { JsonCache } from "../../../registry/cache.js";
import type { RegistryClient } from "../../../registry/contract.js";
import type { VersionManifest } from "../registry/packument.js";
import type { TarballReader } from "../registry/tarball.js";
import type { ApiDependencies } from "../review.js";

/** The API-diff stage for a run: declarations from tarballs (read once a run), diffs on worker threads. */
export function apiDiffSetup(setup: {
  /** The run's tarball reader, shared with the release notes. */
  tarballs: TarballReader;
  registry: RegistryClient<VersionManifest>;
  cache: JsonCache;
  budget?: Partial<ApiBudget>;
}): Omit<ApiDependencies, "usage" | "wanted"> {
  const budget = { ...defaultApiBudget, ...setup.budget };
  const tarballs = setup.tarballs;
  // Its first thread is the one that read the project, TypeScript already loaded.
  const runner = createApiDiffRunner(budget, adoptProjectThread);
  return { analyzer: createApiAnalyzer({ registry: setup.registry, tarballs, cache: setup.cache, runner, budgetKey: `${budget.timeoutMs}ms-${budget.heapMb}mb` }) };
}
