// npm run bench (Python part): review time on the Python demo and on a 152-package uv.lock, cold
// (empty cache) and warm, next to `uv pip list --outdated` on the same project in the same run.
// Needs `uv` on PATH (pip install uv) for the comparison; bumpwise itself needs no Python.
//  - notes are off (--no-notes): GitHub is not reachable from every bench machine, and the point is
//    the lockfile → index → plan → contract path.
import { execFile } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const cli = path.join(root, "dist/cli/bin.js");
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

interface Timed {
  ms: number;
  code: number;
  stdout: string;
  stderr: string;
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
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const scratch: string[] = [];
const fresh = async (prefix: string) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
};

async function bumpwise(project: string, cacheDir: string): Promise<Timed> {
  const out = await fresh("bumpwise-bench-out-");
  const result = await timed(process.execPath, [cli, "review", project, "--out", out, "--no-notes", "--llm", "off"], { cwd: project, env: { BUMPWISE_CACHE_DIR: cacheDir } });
  if (result.code !== 0) throw new Error(`bumpwise exited ${result.code}: ${result.stderr.slice(-500)}`);
  return result;
}

const uvAvailable = (await timed("uv", ["--version"], { cwd: root })).code === 0;

try {
  for (const fixture of ["fixtures/demo-python", "fixtures/lockfiles/large-python"]) {
    const project = await fresh("bumpwise-bench-py-");
    await cp(path.join(root, fixture), project, { recursive: true });
    const cold: Timed[] = [];
    const warm: Timed[] = [];
    for (let round = 0; round < rounds; round++) {
      const cacheDir = await fresh("bumpwise-bench-cache-");
      cold.push(await bumpwise(project, cacheDir));
      warm.push(await bumpwise(project, cacheDir));
    }
    const summary = cold[0]?.stderr.split("\n").find((line) => line.startsWith("bumpwise:")) ?? "";
    console.log(`${fixture}: ${rounds} rounds, medians`);
    console.log(`  bumpwise cold review (direct deps, no notes): ${seconds(median(cold.map((run) => run.ms)))} — ${summary}`);
    console.log(`  bumpwise warm re-run: ${seconds(median(warm.map((run) => run.ms)))}`);
    if (!uvAvailable) {
      console.log("  uv pip list --outdated: skipped (uv is not on PATH; pip install uv)");
      continue;
    }
    // uv lists outdated packages of an installed environment: install the lock first (not timed).
    const venv = path.join(project, ".venv");
    const sync = await timed("uv", ["sync", "--frozen", "--all-groups"], { cwd: project, env: { UV_PROJECT_ENVIRONMENT: venv } });
    if (sync.code !== 0) throw new Error(`uv sync failed: ${sync.stderr.slice(-500)}`);
    const uvCold: Timed[] = [];
    const uvWarm: Timed[] = [];
    for (let round = 0; round < rounds; round++) {
      const uvCache = await fresh("bumpwise-bench-uv-cache-");
      uvCold.push(await timed("uv", ["pip", "list", "--outdated", "--format", "json", "--python", venv], { cwd: project, env: { UV_CACHE_DIR: uvCache } }));
      uvWarm.push(await timed("uv", ["pip", "list", "--outdated", "--format", "json", "--python", venv], { cwd: project, env: { UV_CACHE_DIR: uvCache } }));
    }
    const listed = JSON.parse(uvCold[0]?.stdout || "[]") as { name: string }[];
    console.log(`  uv pip list --outdated (all ${listed.length} outdated installed packages, any major): cold ${seconds(median(uvCold.map((run) => run.ms)))}, warm ${seconds(median(uvWarm.map((run) => run.ms)))}`);
  }
} finally {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
}
