import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import type { CliWorld } from "./cli.js";

export interface NpmRepo {
  repo: string;
  origin: string;
  /** Runs a command with the world's environment (asynchronous: the fake registry answers from this process). */
  run(command: string, args: string[], cwd: string): Promise<string>;
  /** Files, status, HEAD and branch of the checkout: equal before and after means untouched. */
  fingerprint(): Promise<string>;
}

/**
 * A real npm project in a real git repository with a bare origin, locked a release behind on three
 * packages that have no dependencies of their own (so the fake registry can serve their whole graph).
 */
export async function makeNpmRepo(world: CliWorld): Promise<NpmRepo> {
  Object.assign(world.env, {
    PATH: process.env.PATH,
    npm_config_registry: world.registry.url,
    npm_config_cache: await mkdtemp(path.join(os.tmpdir(), "bumpwise-npm-cache-")),
    npm_config_fetch_retries: "0",
  });
  const run = async (command: string, args: string[], cwd: string) => (await execa(command, args, { cwd, env: world.env, extendEnv: false })).stdout;
  const repo = await mkdtemp(path.join(os.tmpdir(), "bumpwise-repo-"));
  const origin = await mkdtemp(path.join(os.tmpdir(), "bumpwise-origin-"));
  const manifest = { name: "app", version: "1.0.0", private: true, dependencies: { uuid: "9.0.0", commander: "11.0.0", dayjs: "1.11.0" } };
  await writeFile(path.join(repo, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  await run("npm", ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"], repo);
  const relaxed = { ...manifest, dependencies: { uuid: "^9.0.0", commander: "^11.0.0", dayjs: "^1.11.0" } };
  await writeFile(path.join(repo, "package.json"), `${JSON.stringify(relaxed, null, 2)}\n`);
  await run("git", ["init", "--quiet", "-b", "main"], repo);
  await run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "--allow-empty", "-m", "empty"], repo);
  await run("git", ["add", "-A"], repo);
  await run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "app"], repo);
  await run("git", ["init", "--quiet", "--bare", origin], repo);
  await run("git", ["remote", "add", "origin", origin], repo);
  const fingerprint = async () => {
    const hash = createHash("sha256");
    for (const file of (await readdir(repo)).filter((name) => name !== ".git").sort()) hash.update(file).update(await readFile(path.join(repo, file)));
    hash.update(await run("git", ["status", "--porcelain"], repo)).update(await run("git", ["rev-parse", "HEAD"], repo)).update(await run("git", ["branch", "--show-current"], repo));
    return hash.digest("hex");
  };
  return { repo, origin, run, fingerprint };
}
