import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useCliWorld } from "../helpers/cli.js";
import { makeNpmRepo } from "../helpers/npm-repo.js";

const world = useCliWorld();
const pnpm = path.resolve(import.meta.dirname, "../../node_modules/.bin/pnpm");

const review = (repo: string, ...extra: string[]) =>
  world.bumpwise(repo, "review", ".", "--registry", world.registry.url, "--no-github", "--no-api-diff", "--out", path.join(repo, ".bumpwise"), ...extra);

describe("--verify says what it could not do", () => {
  it("on a pnpm project without pnpm on PATH: exit 3 and one line saying pnpm is missing, not a run that passes", async () => {
    const { repo, run } = await makeNpmRepo(world);
    // The same lock as pnpm: three packages a release behind.
    await run(pnpm, ["import"], repo);
    await rm(path.join(repo, "package-lock.json"));
    await run("git", ["add", "-A"], repo);
    await run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "pnpm"], repo);
    // A PATH with git and nothing else.
    const onlyGit = await mkdtemp(path.join(os.tmpdir(), "bumpwise-path-"));
    await symlink(execFileSync("which", ["git"], { encoding: "utf8" }).trim(), path.join(onlyGit, "git"));
    world.env.PATH = onlyGit;
    const { code, stderr } = await review(repo, "--verify", "npm test");
    expect(code, stderr).toBe(3);
    expect(stderr.trim().split("\n").at(-1)).toBe("bumpwise: --verify could not run: pnpm is not installed (not found on PATH); it is needed to install the dependencies for --verify: corepack enable pnpm (or npm install -g pnpm)");
    expect(stderr).not.toContain("the tests pass");
  }, 60_000);
});
