// npm run bench (npm part): bumpwise against `npm outdated --package-lock-only` on real lockfiles, the
// tools alternated in each round, medians of BENCH_ROUNDS rounds (default 3). For each lockfile:
//  - plan + contract, cold (`--no-notes --no-api-diff`, empty cache) ÷ npm outdated (empty npm cache), the
//    median of each round's ratio
//  - the full review (notes + API diff, no LLM), cold ÷ npm outdated
//  - the warm re-run of the full review within max-age: wall time and registry requests
//  - the warm re-run past max-age (the clock an hour ahead): every packument revalidated, answered 304
//  - peak RSS of each (worker threads included)
//  - where the full review's cold time goes: the API diff thread's time by phase, from the last cold report
//  - npm-check-updates --target minor (cold npm cache) beside npm outdated, for scale: it reads package.json
//    ranges, not the lockfile. taze is not run: it asks npm.antfu.dev (fast-npm-meta), not the registry.
// bumpwise reaches the registry through a local proxy (bench/registry-proxy.ts) that counts requests and
// answers revalidations with 304; npm outdated goes to the registry directly. GitHub is not reachable from
// every bench machine, so notes come from the npm tarballs (--no-github).
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Review } from "../src/review-types.js";
import { startRegistryProxy } from "./registry-proxy.js";

const root = path.resolve(import.meta.dirname, "..");
const cli = path.join(root, "dist/cli/bin.js");
const ncu = path.join(root, "node_modules/npm-check-updates/build/cli.js");
const peakMemory = path.join(root, "bench/peak-memory.cjs");
const clockAhead = path.join(root, "bench/clock-ahead.cjs");
// Projects: fixtures of this repository, or any folder (an absolute path: a real project with its source).
const fixtures = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["fixtures/lockfiles/large-npm", "fixtures/eval/apps/legacy-api"];
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

interface Timed {
  ms: number;
  /** The run's --out directory (bumpwise runs). */
  out?: string;
  rssMb: number;
  stderr: string;
  requests?: number;
  notModified?: number;
}

function timed(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Timed> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 }, (error, _stdout, stderr) => {
      const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
      // npm outdated exits 1 when something is outdated.
      if (code !== 0 && !(command === "npm" && code === 1)) return reject(new Error(`${command} exited ${code}: ${stderr.slice(-400)}`));
      const rss = /bench:maxRSS=(\d+)/.exec(stderr);
      resolve({ ms: performance.now() - started, rssMb: rss ? Number(rss[1]) / 1024 : 0, stderr });
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const scratch: string[] = [];
const fresh = async (prefix: string) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
};

const proxy = await startRegistryProxy();
try {
  for (const fixture of fixtures) {
    const project = await fresh("bumpwise-bench-project-");
    await cp(path.resolve(root, fixture), project, { recursive: true });
    const bumpwise = async (cacheDir: string, extra: string[], clock = 0): Promise<Timed> => {
      proxy.reset();
      const preload = ["--require", peakMemory, ...(clock ? ["--require", clockAhead] : [])];
      const out = await fresh("bumpwise-bench-out-");
      const args = [...preload, cli, "review", ".", "--registry", proxy.url, "--no-github", "--llm", "off", "--out", out, ...extra];
      const result = await timed(process.execPath, args, project, { BUMPWISE_CACHE_DIR: cacheDir, BENCH_CLOCK_AHEAD_MS: String(clock) });
      return { ...result, out, requests: proxy.counts.requests, notModified: proxy.counts.notModified };
    };
    const runs = { outdated: [] as Timed[], ncu: [] as Timed[], plan: [] as Timed[], full: [] as Timed[], warm: [] as Timed[], revalidated: [] as Timed[] };
    for (let round = 0; round < rounds; round++) {
      runs.outdated.push(await timed("npm", ["outdated", "--package-lock-only", "--json", "--cache", await fresh("bumpwise-bench-npm-")], project, { NODE_OPTIONS: `--require ${peakMemory}` }));
      runs.ncu.push(await timed(process.execPath, ["--require", peakMemory, ncu, "--target", "minor", "--jsonUpgraded"], project, { npm_config_cache: await fresh("bumpwise-bench-npm-") }));
      runs.plan.push(await bumpwise(await fresh("bumpwise-bench-cache-"), ["--no-notes", "--no-api-diff"]));
      const cache = await fresh("bumpwise-bench-cache-");
      runs.full.push(await bumpwise(cache, []));
      runs.warm.push(await bumpwise(cache, []));
      runs.revalidated.push(await bumpwise(cache, [], 60 * 60 * 1000));
    }
    const outdated = median(runs.outdated.map((run) => run.ms));
    // Each round's ratio is to that round's npm outdated: this machine's speed drifts by half within the hour,
    // and the two runs of a round see the same machine. The median ratio is printed with the range.
    const ratios = (list: Timed[]) => list.map((run, round) => run.ms / (runs.outdated[round]?.ms ?? outdated));
    const line = (label: string, list: Timed[], ratio = true) => {
      const ms = median(list.map((run) => run.ms));
      const requests = list[0]?.requests !== undefined ? `, ${median(list.map((run) => run.requests ?? 0))} registry requests (${median(list.map((run) => run.notModified ?? 0))} answered 304)` : "";
      const each = ratios(list);
      const versus = ratio ? ` = ${median(each).toFixed(2)}× npm outdated (rounds ${Math.min(...each).toFixed(2)}–${Math.max(...each).toFixed(2)}×)` : "";
      console.log(`  ${label}: ${seconds(ms)}${versus}, peak RSS ${Math.max(...list.map((run) => run.rssMb)).toFixed(0)} MB${requests}`);
    };
    const summary = runs.full[0]?.stderr.split("\n").find((text) => /^bumpwise: \d+ bumps? in /.test(text)) ?? "";
    console.log(`${fixture} — ${rounds} round(s), medians; ${summary}`);
    console.log(`  npm outdated --package-lock-only (cold npm cache): ${seconds(outdated)}, peak RSS ${Math.max(...runs.outdated.map((run) => run.rssMb)).toFixed(0)} MB`);
    line("npm-check-updates --target minor (cold npm cache), for scale", runs.ncu);
    line("plan + contract, cold (--no-notes --no-api-diff) [goal ≤ 1.0×]", runs.plan);
    line("full review (notes + API diff, no LLM), cold [goal ≤ 3× for a JavaScript project, ≤ 5× for TypeScript; RSS < 500 MB]", runs.full);
    const last = runs.full.at(-1)?.out;
    if (last) console.log(`  ${apiThreadTime(JSON.parse(await readFile(path.join(last, "report.json"), "utf8")) as Review)}`);
    line("warm re-run within max-age [goal < 1 s, 0 requests]", runs.warm, false);
    line("warm re-run past max-age (clock +1 h: revalidated)", runs.revalidated, false);
  }
} finally {
  await proxy.close();
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
}

// Where the full review's cold time goes: the API diff's thread, pair by pair, from the last cold run's report.
function apiThreadTime(review: Review): string {
  const diffs = review.bumps.flatMap((bump) => (bump.apiDiff ? [bump.apiDiff] : []));
  const compiled = diffs.flatMap((diff) => ("unavailable" in diff || !diff.stats.phases ? [] : [diff]));
  const sum = (pick: (phases: { compile: number; surfaces: number; review: number }) => number) => compiled.reduce((total, diff) => total + (diff.stats.phases ? pick(diff.stats.phases) : 0), 0);
  const stopped = compiled.filter((diff) => diff.degraded).length;
  const beforeConfident = diffs.filter((diff) => "unavailable" in diff && /budget before the confident/.test(diff.unavailable)).length;
  const identical = diffs.filter((diff) => !("unavailable" in diff) && diff.identical).length;
  const total = sum((phases) => phases.compile + phases.surfaces + phases.review);
  return `API diff thread, last cold run: ${compiled.length} pairs compiled in ${seconds(total)} (parse + bind ${seconds(sum((phases) => phases.compile))}, surfaces ${seconds(sum((phases) => phases.surfaces))}, review tier ${seconds(sum((phases) => phases.review))}); ${stopped} stopped at the budget after their confident findings (their review tier's time not counted), ${beforeConfident} before them; ${identical} with identical declarations, not compiled`;
}
