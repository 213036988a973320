// API diff: time per recorded package pair (in one thread, as a worker runs them), and the overhead
// of the analyzer on the large fixture lockfile's review (live registry, cold cache, no GitHub):
// `review` against `review --no-api-diff`, alternating, median of 3 each.
import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { diffDeclarations } from "../src/ecosystems/npm/api/diff.js";
import type { Review } from "../src/review-types.js";
import { apiFixtures, loadRecorded } from "../test/helpers/api-fixtures.js";

const root = path.resolve(import.meta.dirname, "..");
const pairs = (await readdir(apiFixtures)).filter((entry) => entry.includes(".."));
const times: number[] = [];
for (const pair of pairs) {
  const [from, to] = [await loadRecorded(pair, "from"), await loadRecorded(pair, "to")];
  const started = performance.now();
  diffDeclarations(from, to, { review: true });
  times.push(performance.now() - started);
}
const sorted = [...times].sort((a, b) => a - b);
const median = (values: number[]) => values[Math.floor(values.length / 2)] ?? 0;
console.log(`API diff per pair, ${pairs.length} recorded pairs (first includes parsing the standard library):`);
console.log(`  median ${median(sorted).toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms (${pairs[times.indexOf(sorted.at(-1) ?? 0)]})`);

const fixture = path.join(root, "fixtures/lockfiles/large-npm");
async function review(extra: string[]): Promise<{ seconds: number; review: Review }> {
  const project = await mkdtemp(path.join(os.tmpdir(), "bumpwise-bench-api-"));
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-bench-api-cache-"));
  await cp(fixture, project, { recursive: true });
  try {
    const started = performance.now();
    await new Promise<void>((resolve, reject) =>
      execFile(process.execPath, [path.join(root, "dist/cli/bin.js"), "review", project, "--no-github", "--out", project, ...extra], { env: { ...process.env, BUMPWISE_CACHE_DIR: cacheDir } }, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    return { seconds, review: JSON.parse(await readFile(path.join(project, "report.json"), "utf8")) as Review };
  } finally {
    await rm(project, { recursive: true, force: true });
    await rm(cacheDir, { recursive: true, force: true });
  }
}
const withApi: number[] = [];
const without: number[] = [];
let last: Review | undefined;
for (let round = 0; round < 3; round++) {
  without.push((await review(["--no-api-diff"])).seconds);
  const run = await review([]);
  withApi.push(run.seconds);
  last = run.review;
}
const diffed = last?.bumps.filter((bump) => bump.apiDiff && !("unavailable" in bump.apiDiff)).length ?? 0;
const a = median([...withApi].sort((x, y) => x - y));
const b = median([...without].sort((x, y) => x - y));
console.log(`large fixture review (${last?.bumps.length ?? 0} bumps, ${diffed} direct bumps diffed), cold, live registry, no GitHub:`);
console.log(`  with API diff ${a.toFixed(1)} s, without ${b.toFixed(1)} s → ${(a / b).toFixed(2)}× (target ≤ 2×)`);
