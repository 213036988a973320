import { execFileSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach } from "vitest";
import type { CliWorld } from "./cli.js";
import { type FakeIndex, startFakeIndex } from "./fake-pypi.js";

/** The tool's version line, or undefined when it is not on PATH (its tests are skipped with the reason). */
export function installedTool(tool: string): string | undefined {
  try {
    return execFileSync(tool, ["--version"], { encoding: "utf8" }).trim();
  } catch {
    return undefined;
  }
}

export interface PythonWorld {
  index: FakeIndex;
  /** Runs a command with the world's environment (asynchronous: the fake index answers from this process). */
  run(command: string, args: string[], cwd: string): Promise<string>;
  /** A git repository (branch main) holding `files`, after `lock` ran in it; its path. */
  repo(files: Map<string, string>, lock?: [string, string[]][]): Promise<string>;
}

/**
 * A fake index (recorded Simple API answers and wheels of idna and six) that uv, Poetry, pip and pipenv
 * are pointed at through their own variables, each with a fresh cache.
 */
export async function startPythonWorld(world: CliWorld, options: Parameters<typeof startFakeIndex>[0] = {}): Promise<PythonWorld> {
  const index = await startFakeIndex({ simpleOnly: true, ...options });
  const cache = (tool: string) => mkdtemp(path.join(os.tmpdir(), `bumpwise-${tool}-cache-`));
  Object.assign(world.env, {
    PATH: process.env.PATH,
    UV_INDEX_URL: index.url,
    UV_CACHE_DIR: await cache("uv"),
    UV_PYTHON_DOWNLOADS: "never",
    PIP_INDEX_URL: index.url,
    PIP_CONFIG_FILE: "/dev/null",
    PIP_CACHE_DIR: await cache("pip"),
    POETRY_CACHE_DIR: await cache("poetry"),
  });
  const run = async (command: string, args: string[], cwd: string) => (await execa(command, args, { cwd, env: world.env, extendEnv: false })).stdout;
  return {
    index,
    run,
    async repo(files, lock = []) {
      const repo = await mkdtemp(path.join(os.tmpdir(), "bumpwise-pyrepo-"));
      for (const [name, text] of files) await writeFile(path.join(repo, name), text);
      for (const [command, args] of lock) await run(command, args, repo);
      await run("git", ["init", "--quiet", "-b", "main"], repo);
      await run("git", ["add", "-A"], repo);
      await run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "app"], repo);
      return repo;
    },
  };
}

/** A uv project (not a package) that depends on idna and six, with comments to keep. */
export const uvPyproject = [
  "[project]",
  'name = "hosts"',
  'version = "1.0.0"',
  'requires-python = ">=3.9"',
  "dependencies = [",
  '    "idna>=3.6",  # host names',
  '    "six>=1.15",',
  "]",
  "",
  "[tool.uv]",
  "package = false",
  "",
].join("\n");

/** uv.lock at the older versions (idna 3.6, six 1.15.0), written by the real uv. */
export const uvLockOld: [string, string[]] = ["uv", ["lock", "-P", "idna==3.6", "-P", "six==1.15.0"]];

/** A fresh Python world for every test of a CLI world (its index closed after the test). */
export function usePythonWorld(world: CliWorld): PythonWorld {
  let current: PythonWorld | undefined;
  beforeEach(async () => {
    current = await startPythonWorld(world);
  });
  afterEach(async () => {
    await current?.index.close();
    current = undefined;
  });
  const now = (): PythonWorld => {
    if (!current) throw new Error("the Python world starts in beforeEach");
    return current;
  };
  return {
    get index() {
      return now().index;
    },
    run: (command, args, cwd) => now().run(command, args, cwd),
    repo: (files, lock) => now().repo(files, lock),
  };
}
