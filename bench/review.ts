// npm run bench: the foundation numbers on the large fixture lockfile, against the live registry.
//  - cold review (empty cache) vs `npm outdated --package-lock-only --json` (empty npm cache), same project
//  - warm re-run wall time
//  - peak memory of each bumpwise run
import { execFile } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const fixture = process.argv[2] ?? path.join(root, "fixtures/lockfiles/large-npm");
const cli = path.join(root, "dist/cli/bin.js");
const preload = path.join(root, "bench/peak-memory.cjs");

interface Timed {
  ms: number;
  code: number;
  stdout: string;
  stderr: string;
  maxRssMb?: number;
}

function timed(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Timed> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const ms = performance.now() - started;
        const rss = stderr.match(/bench:maxRSS=(\d+)/);
        const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
        resolve({ ms, code, stdout, stderr, ...(rss ? { maxRssMb: Number(rss[1]) / 1024 } : {}) });
      },
    );
  });
}

async function bumpwise(project: string, cacheDir: string, extra: string[] = []): Promise<Timed> {
  const out = await mkdtemp(path.join(os.tmpdir(), "bumpwise-bench-out-"));
  const result = await timed(process.execPath, ["--require", preload, cli, "review", project, "--out", out, "--no-notes", ...extra], {
    cwd: project,
    env: { BUMPWISE_CACHE_DIR: cacheDir },
  });
  if (result.code !== 0) throw new Error(`bumpwise exited ${result.code}: ${result.stderr.slice(-500)}`);
  return result;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const project = await mkdtemp(path.join(os.tmpdir(), "bumpwise-bench-project-"));
await cp(fixture, project, { recursive: true });
const scratch: string[] = [project];
const freshDir = async (prefix: string) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
};
try {
  // Alternate the two tools, each from an empty cache, so registry and machine noise hits both alike.
  const cold: Timed[] = [];
  const outdated: Timed[] = [];
  const warm: Timed[] = [];
  for (let round = 0; round < rounds; round++) {
    const cacheDir = await freshDir("bumpwise-bench-cache-");
    cold.push(await bumpwise(project, cacheDir));
    warm.push(await bumpwise(project, cacheDir));
    const npmCache = await freshDir("bumpwise-bench-npm-cache-");
    outdated.push(
      await timed("npm", ["outdated", "--package-lock-only", "--json", "--cache", npmCache], {
        cwd: project,
        env: { NODE_OPTIONS: `--require ${preload}` },
      }),
    );
  }
  const coldAll = await bumpwise(project, await freshDir("bumpwise-bench-cache-all-"), ["--all"]);

  const coldMs = median(cold.map((run) => run.ms));
  const outdatedMs = median(outdated.map((run) => run.ms));
  const outdatedCount = Object.keys(JSON.parse(outdated[0]?.stdout || "{}")).length;
  const summary = cold[0]?.stderr.split("\n").find((line) => line.startsWith("bumpwise:")) ?? "";
  const peak = (runs: Timed[]) => Math.max(...runs.map((run) => run.maxRssMb ?? 0)).toFixed(0);
  console.log(`fixture: ${path.relative(root, fixture)}, ${rounds} rounds, medians`);
  console.log(`bumpwise cold review (direct deps): ${seconds(coldMs)}, peak RSS ${peak(cold)} MB — ${summary}`);
  console.log(`npm outdated --package-lock-only --json (cold npm cache): ${seconds(outdatedMs)}, peak RSS ${peak(outdated)} MB (${outdatedCount} outdated)`);
  console.log(`ratio bumpwise cold / npm outdated: ${(coldMs / outdatedMs).toFixed(2)} (target ≤ 1.00)`);
  console.log(`bumpwise warm re-run: ${seconds(median(warm.map((run) => run.ms)))}, peak RSS ${peak(warm)} MB (target < 1 s)`);
  console.log(`bumpwise cold review --all (transitive too): ${seconds(coldAll.ms)}, peak RSS ${coldAll.maxRssMb?.toFixed(0)} MB`);
} finally {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
}
