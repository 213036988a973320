import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import type { Review } from "../../src/review/index.js";
import { useCliWorld } from "../helpers/cli.js";
import { makeNpmRepo, type NpmRepo } from "../helpers/npm-repo.js";

const world = useCliWorld();
let npm: NpmRepo;

beforeEach(async () => {
  npm = await makeNpmRepo(world);
});

const commit = (message: string) => npm.run("git", ["-c", "user.name=dependabot", "-c", "user.email=bot@example.com", "commit", "--quiet", "-am", message], npm.repo);

async function review(...flags: string[]): Promise<{ code: number; stderr: string; report?: Review }> {
  const out = path.join(world.env.BUMPWISE_CACHE_DIR as string, "out");
  const { code, stderr } = await world.bumpwise(npm.repo, "review", ".", "--registry", world.registry.url, "--no-github", "--llm", "off", "--out", out, ...flags);
  const report = await readFile(path.join(out, "report.json"), "utf8").then((text) => JSON.parse(text) as Review, () => undefined);
  return { code, stderr, ...(report ? { report } : {}) };
}

describe("review --base: the bumps are the lockfile change since a git ref", () => {
  it("reviews what a Dependabot-like commit moved in package-lock.json, lists the downgrade, and leaves the checkout untouched", async () => {
    await npm.run("npm", ["install", "uuid@9.0.1", "dayjs@1.10.7", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"], npm.repo);
    await commit("Bump uuid from 9.0.0 to 9.0.1");
    const before = await npm.fingerprint();
    const { code, report, stderr } = await review("--base", "HEAD~1");
    expect(stderr).not.toContain("unexpected");
    expect(code).toBe(0);
    expect(report?.bumps.map((bump) => `${bump.name} ${bump.from} → ${bump.to} ${bump.type}`)).toEqual(["uuid 9.0.0 → 9.0.1 patch"]);
    expect(report?.lockChange).toMatchObject({ base: "HEAD~1", baseLockfileMissing: false, upgraded: 1, added: [], removed: [] });
    expect(report?.lockChange?.downgraded.map((change) => `${change.name} ${change.from} → ${change.to}`)).toEqual(["dayjs 1.11.0 → 1.10.7"]);
    const markdown = await readFile(path.join(world.env.BUMPWISE_CACHE_DIR as string, "out", "report.md"), "utf8");
    expect(markdown).toContain("**1 bump** in the lockfile change since `HEAD~1` (direct and transitive, majors included)");
    expect(markdown).toContain("| `dayjs` | downgraded | 1.11.0 | 1.10.7 | direct |");
    // commander is at 11.0.0 with 11.1.0 published: not in the change, so not a bump here.
    expect(report?.bumps.some((bump) => bump.name === "commander")).toBe(false);
    await rm(path.join(world.env.BUMPWISE_CACHE_DIR as string, "out"), { recursive: true, force: true });
    expect(await npm.fingerprint()).toBe(before);
  });

  it("a lockfile added since the base lists every package as added", async () => {
    await npm.run("git", ["rm", "--quiet", "--cached", "package-lock.json"], npm.repo);
    await commit("untrack the lockfile");
    await npm.run("git", ["add", "package-lock.json"], npm.repo);
    await commit("add the lockfile");
    const { code, report } = await review("--base", "HEAD~1");
    expect(code).toBe(0);
    expect(report?.bumps).toEqual([]);
    expect(report?.lockChange?.baseLockfileMissing).toBe(true);
    expect(report?.lockChange?.added.map((change) => change.name)).toEqual(["commander", "dayjs", "uuid"]);
  });

  it("a base ref that does not exist exits 2 with one line", async () => {
    const { code, stderr } = await review("--base", "origin/nope");
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toEqual([expect.stringMatching(/^bumpwise: --base origin\/nope: no such commit/)]);
  });
});
