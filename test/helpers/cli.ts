import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach } from "vitest";
import { run } from "../../src/cli/main.js";
import { type FakeGitHub, startFakeGitHub } from "./fake-github.js";
import { type FakeRegistry, startFakeRegistry } from "./fake-registry.js";

export interface CliWorld {
  registry: FakeRegistry;
  github: FakeGitHub;
  /** The environment bumpwise sees: a fresh cache, no npm retries, GitHub at the fake. */
  env: NodeJS.ProcessEnv;
  bumpwise(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Registers hooks that give every test a fresh fake registry, fake GitHub and cache. */
export function useCliWorld(): CliWorld {
  const world = {
    async bumpwise(cwd: string, ...argv: string[]) {
      let stdout = "";
      let stderr = "";
      const code = await run(argv, {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
        cwd,
        env: world.env,
      });
      return { code, stdout, stderr };
    },
  } as CliWorld;
  beforeEach(async () => {
    world.registry = await startFakeRegistry();
    world.github = await startFakeGitHub();
    world.env = {
      BUMPWISE_CACHE_DIR: await mkdtemp(path.join(os.tmpdir(), "bumpwise-cache-")),
      HOME: os.tmpdir(),
      npm_config_fetch_retries: "0",
      GITHUB_API_URL: world.github.url,
    };
  });
  afterEach(async () => {
    await world.registry.close();
    await world.github.close();
  });
  return world;
}
