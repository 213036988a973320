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
  const result = await timed(process.execPath, ["--require", preload, cli, "review", project, "--out", out, ...extra], {
    cwd: project,
    env: { BUMPWISE_CACHE_DIR: cacheDir },
  });
  if (result.code !== 0) throw new Error(`bumpwise exited ${result.code}: ${result.stderr.slice(-500)}`);
  return result;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const project = await mkdtemp(path.join(os.tmpdir(), "bumpwise-bench-project-"));
await cp(fixture, project, { recursive: true });
const cacheDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-bench-cache-"));
const npmCache = await mkdtemp(path.join(os.tmpdir(), "bumpwise-bench-npm-cache-"));
try {
  const cold = await bumpwise(project, cacheDir);
  const warm = await bumpwise(project, cacheDir);
  const outdated = await timed("npm", ["outdated", "--package-lock-only", "--json", "--cache", npmCache], {
    cwd: project,
  });
  const outdatedCount = Object.keys(JSON.parse(outdated.stdout || "{}")).length;
  const allCache = await mkdtemp(path.join(os.tmpdir(), "bumpwise-bench-cache-all-"));
  const coldAll = await bumpwise(project, allCache, ["--all"]);

  const summary = cold.stderr.split("\n").find((line) => line.startsWith("bumpwise:")) ?? "";
  console.log(`fixture: ${path.relative(root, fixture)}`);
  console.log(
    `bumpwise cold review (direct deps): ${seconds(cold.ms)}, peak RSS ${cold.maxRssMb?.toFixed(0)} MB — ${summary}`,
  );
  console.log(
    `npm outdated --package-lock-only --json (cold npm cache): ${seconds(outdated.ms)} (${outdatedCount} outdated)`,
  );
  console.log(`ratio bumpwise cold / npm outdated: ${(cold.ms / outdated.ms).toFixed(2)} (target ≤ 1.00)`);
  console.log(`bumpwise warm re-run: ${seconds(warm.ms)}, peak RSS ${warm.maxRssMb?.toFixed(0)} MB (target < 1 s)`);
  console.log(
    `bumpwise cold review --all (transitive too): ${seconds(coldAll.ms)}, peak RSS ${coldAll.maxRssMb?.toFixed(0)} MB (target < 300 MB)`,
  );
  await rm(allCache, { recursive: true, force: true });
} finally {
  await rm(project, { recursive: true, force: true });
  await rm(cacheDir, { recursive: true, force: true });
  await rm(npmCache, { recursive: true, force: true });
}
