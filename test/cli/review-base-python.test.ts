import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Review } from "../../src/review/index.js";
import { useCliWorld } from "../helpers/cli.js";
import { fixturesDir } from "../helpers/fake-registry.js";
import { type FakeIndex, startFakeIndex } from "../helpers/fake-pypi.js";

const world = useCliWorld();
let index: FakeIndex;
let repo: string;
const git = (...args: string[]) => execa("git", ["-c", "user.name=dependabot", "-c", "user.email=bot@example.com", ...args], { cwd: repo });

beforeEach(async () => {
  index = await startFakeIndex();
  world.env.UV_INDEX_URL = index.url;
  // The demo uv project at its recorded lock, then a Dependabot-like commit that moves pyyaml in uv.lock only.
  repo = await mkdtemp(path.join(os.tmpdir(), "bumpwise-pybase-"));
  await cp(path.join(fixturesDir, "demo-python"), repo, { recursive: true });
  await git("init", "--quiet", "-b", "main");
  await git("add", "-A");
  await git("commit", "--quiet", "-m", "app");
  const lock = await readFile(path.join(repo, "uv.lock"), "utf8");
  await writeFile(path.join(repo, "uv.lock"), lock.replace('name = "pyyaml"\nversion = "6.0.1"', 'name = "pyyaml"\nversion = "6.0.3"'));
  await git("commit", "--quiet", "-am", "Bump pyyaml from 6.0.1 to 6.0.3");
});
afterEach(() => index.close());

describe("review --base on a uv.lock change", () => {
  it("reviews the one package the commit moved, comments once, updates the comment, and sets the status", async () => {
    world.env.GITHUB_TOKEN = "ghs_test";
    const out = path.join(world.env.BUMPWISE_CACHE_DIR as string, "out");
    const run = () => world.bumpwise(repo, "review", ".", "--llm", "off", "--no-github", "--out", out, "--base", "HEAD~1", "--comment", "--pr-number", "3", "--repo", "acme/hosts");
    const first = await run();
    expect(first.stderr).toContain("Comment on #3 posted");
    expect(first.code).toBe(0);
    const report = JSON.parse(await readFile(path.join(out, "report.json"), "utf8")) as Review;
    expect(report.project).toMatchObject({ ecosystem: "pypi", manager: "uv" });
    expect(report.bumps.map((bump) => `${bump.name} ${bump.from} → ${bump.to} ${bump.type}`)).toEqual(["pyyaml 6.0.1 → 6.0.3 patch"]);
    expect(report.lockChange).toMatchObject({ base: "HEAD~1", upgraded: 1, downgraded: [], added: [], removed: [] });

    const second = await run();
    expect(second.stderr).toContain("Comment on #3 updated");
    expect(world.github.comments).toHaveLength(1);
    expect(world.github.comments[0]?.body).toContain("`pyyaml`");
    const head = (await git("rev-parse", "HEAD")).stdout.trim();
    expect(world.github.statuses.map((status) => `${status.sha} ${status.context} ${status.state}`)).toEqual([`${head} bumpwise success`, `${head} bumpwise success`]);
    expect(world.github.unanswered).toEqual([]);
  });
});
