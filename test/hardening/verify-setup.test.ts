import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useCliWorld } from "../helpers/cli.js";
import { makeNpmRepo } from "../helpers/npm-repo.js";

const world = useCliWorld();
const pytest = (() => {
  try {
    return execFileSync("python3", ["-m", "pytest", "--version"], { encoding: "utf8", stdio: "pipe" }).trim();
  } catch {
    return undefined;
  }
})();
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

  it("npm test without a test script: no tests ran, which is neither a pass nor a failing baseline", async () => {
    const { repo } = await makeNpmRepo(world);
    const { code, stderr } = await review(repo, "--verify", "npm test");
    expect(code, stderr).toBe(0);
    expect(stderr).toContain("--verify: no tests ran: npm test has no test script to run");
    expect(stderr).not.toContain("the tests pass");
    const report = JSON.parse(await readFile(path.join(repo, ".bumpwise/report.json"), "utf8"));
    expect(report.verify).toMatchObject({ command: "npm test", outcome: "no-tests", runs: 1 });
    expect(report.summary.breaking).toBe(0);
  }, 60_000);

  it.skipIf(!pytest)(`pytest collecting no test (exit 5): no tests ran${pytest ? "" : " (skipped: python3 -m pytest is not available)"}`, async () => {
    const { repo } = await makeNpmRepo(world);
    const { code, stderr } = await review(repo, "--verify", "python3 -m pytest");
    expect(code, stderr).toBe(0);
    expect(stderr).toContain("--verify: no tests ran: python3 -m pytest collected no tests (exit 5)");
    const report = JSON.parse(await readFile(path.join(repo, ".bumpwise/report.json"), "utf8"));
    expect(report.verify).toMatchObject({ outcome: "no-tests", runs: 1 });
  }, 60_000);

  it("with no bump to verify, nothing is said to pass", async () => {
    const { repo } = await makeNpmRepo(world);
    const { code, stderr } = await review(repo, "--include", "no-such-package", "--verify", "npm test");
    expect(code, stderr).toBe(0);
    expect(stderr).toContain("--verify: no tests ran: there is no bump to verify");
    expect(stderr).not.toContain("the tests pass");
  });
});
