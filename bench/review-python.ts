// npm run bench (Python part): bumpwise's plan + contract (`--no-notes --no-api-diff`) on the Python demo
// and on a 152-package uv.lock, cold (empty cache) and warm, next to `uv pip list --outdated` on the same
// packages in the same rounds, medians of BENCH_ROUNDS rounds (default 3). Goals (issue 25): cold ≤ 5×
// uv's cold run; a warm re-run with nothing new < 1 s and 0 requests; the full review (BENCH_FULL, default
// the demo: notes from the sdists, API diff, dependents' check, no GitHub) ≤ 10×.
// bumpwise reaches PyPI through a local proxy (bench/pypi-proxy.ts) that counts its requests by kind;
// uv goes to PyPI directly. Needs `uv` on PATH (pip install uv) for the comparison; bumpwise needs no Python.
// Notes are off: GitHub is not reachable from every bench machine, and the point is the lockfile →
// index → plan → contract path. BENCH_PROJECTS (comma-separated folders) replaces the two fixtures.
import { execFile } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type RequestCounts, startPypiProxy } from "./pypi-proxy.js";

const root = path.resolve(import.meta.dirname, "..");
const cli = path.join(root, "dist/cli/bin.js");
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const projects = process.env.BENCH_PROJECTS?.split(",") ?? ["fixtures/demo-python", "fixtures/lockfiles/large-python"];

interface Timed {
  ms: number;
  code: number;
  stdout: string;
  stderr: string;
  counts?: RequestCounts;
}

function timed(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Timed> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ ms: performance.now() - started, code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const scratch: string[] = [];
const fresh = async (prefix: string) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
};

const proxy = await startPypiProxy();

// The full review (notes from the sdists, the API diff, the dependents' check), on the projects with their source.
const fullProjects = new Set(process.env.BENCH_FULL?.split(",") ?? ["fixtures/demo-python"]);

async function bumpwise(project: string, cacheDir: string, full = false): Promise<Timed> {
  const out = await fresh("bumpwise-bench-out-");
  proxy.reset();
  const args = [cli, "review", project, "--index-url", proxy.url, "--out", out, ...(full ? ["--no-github"] : ["--no-notes", "--no-api-diff"]), "--llm", "off"];
  const result = await timed(process.execPath, args, { cwd: project, env: { BUMPWISE_CACHE_DIR: cacheDir } });
  // 1: findings at or above --fail-on; the review itself ran.
  if (result.code !== 0 && result.code !== 1) throw new Error(`bumpwise exited ${result.code}: ${result.stderr.slice(-500)}`);
  return { ...result, counts: { ...proxy.counts } };
}

function requests(runs: Timed[]): string {
  const of = (kind: keyof RequestCounts) => median(runs.map((run) => run.counts?.[kind] ?? 0));
  return `${of("total")} requests (${of("index")} index, ${of("metadata")} .metadata, ${of("ranges")} range reads, ${of("files")} whole files; ${(of("bytes") / 1024 / 1024).toFixed(1)} MB)`;
}

const uvAvailable = (await timed("uv", ["--version"], { cwd: root })).code === 0;

try {
  for (const fixture of projects) {
    const project = await fresh("bumpwise-bench-py-");
    await cp(path.resolve(root, fixture), project, { recursive: true });
    // uv lists outdated packages of an installed environment: install the lock first (not timed).
    const venv = path.join(project, ".venv");
    const synced = uvAvailable && (await timed("uv", ["sync", "--frozen", "--all-groups"], { cwd: project, env: { UV_PROJECT_ENVIRONMENT: venv } })).code === 0;
    const cold: Timed[] = [];
    const warm: Timed[] = [];
    const uvCold: Timed[] = [];
    const ratios: number[] = [];
    const full: Timed[] = [];
    const fullRatios: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const cacheDir = await fresh("bumpwise-bench-cache-");
      const run = await bumpwise(project, cacheDir);
      cold.push(run);
      warm.push(await bumpwise(project, cacheDir));
      const fullRun = fullProjects.has(fixture) ? await bumpwise(project, await fresh("bumpwise-bench-cache-"), true) : undefined;
      if (fullRun) full.push(fullRun);
      if (!synced) continue;
      const uvCache = await fresh("bumpwise-bench-uv-cache-");
      const uv = await timed("uv", ["pip", "list", "--outdated", "--format", "json", "--python", venv], { cwd: project, env: { UV_CACHE_DIR: uvCache } });
      uvCold.push(uv);
      ratios.push(run.ms / uv.ms);
      if (fullRun) fullRatios.push(fullRun.ms / uv.ms);
    }
    const summary = cold[0]?.stderr.split("\n").find((line) => /^bumpwise: \d+ bumps? in /.test(line)) ?? "";
    console.log(`${fixture}: ${rounds} rounds, medians — ${summary}`);
    console.log(`  bumpwise cold plan + contract: ${seconds(median(cold.map((run) => run.ms)))}, ${requests(cold)}`);
    const warmMs = median(warm.map((run) => run.ms));
    const warmRequests = median(warm.map((run) => run.counts?.total ?? 0));
    console.log(`  bumpwise warm re-run [goal < 1 s, 0 requests]: ${seconds(warmMs)}, ${requests(warm)} — ${warmMs < 1000 && warmRequests === 0 ? "met" : "NOT met"}`);
    if (!synced) {
      console.log(`  uv pip list --outdated: skipped (${uvAvailable ? "uv sync failed" : "uv is not on PATH; pip install uv"})`);
      continue;
    }
    const listed = JSON.parse(uvCold[0]?.stdout || "[]") as { name: string }[];
    const ratio = median(ratios);
    console.log(`  uv pip list --outdated, cold (all ${listed.length} outdated installed packages): ${seconds(median(uvCold.map((run) => run.ms)))}`);
    console.log(`  cold ratio bumpwise ÷ uv [goal ≤ 5×]: ${ratio.toFixed(1)}× — ${ratio <= 5 ? "met" : "NOT met"}`);
    if (full.length === 0) continue;
    const fullRatio = median(fullRatios);
    console.log(`  bumpwise cold full review (notes from the sdists, API diff, dependents; no GitHub): ${seconds(median(full.map((run) => run.ms)))}, ${requests(full)}`);
    console.log(`  full review ratio bumpwise ÷ uv [goal ≤ 10×]: ${fullRatio.toFixed(1)}× — ${fullRatio <= 10 ? "met" : "NOT met"}`);
  }
} finally {
  await proxy.close();
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
}
