import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { runCommand } from "../../src/exec.js";
import { useCliWorld } from "../helpers/cli.js";
import { makeNpmRepo, type NpmRepo } from "../helpers/npm-repo.js";

const world = useCliWorld();
let project: NpmRepo;
beforeEach(async () => {
  project = await makeNpmRepo(world);
});

const root = path.resolve(import.meta.dirname, "../..");
const branches = async () => (await project.run("git", ["branch", "--format=%(refname:short)"], project.repo)).split("\n").filter(Boolean).sort();
const worktrees = async () => (await project.run("git", ["worktree", "list", "--porcelain"], project.repo)).split("\n").filter((line) => line.startsWith("worktree ")).length;

describe("interrupted and killed runs leave nothing half made", () => {
  it("SIGINT during --branch removes the temporary branch and worktree and exits 130; the checkout is untouched", async () => {
    const before = await project.fingerprint();
    const out = await mkdtemp(path.join(os.tmpdir(), "bumpwise-out-"));
    const earlier = world.registry.requests.length;
    // The real binary's entry (src/cli/bin.ts installs the signal handlers), run from the project.
    const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), path.join(root, "src/cli/bin.ts"), "review", ".", "--registry", world.registry.url, "--no-notes", "--no-api-diff", "--out", out, "--branch", "deps/upgrade", "--apply", "all"], {
      cwd: project.repo,
      env: world.env,
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    let ended = false;
    void exited.then(() => (ended = true));
    // Once bumpwise has read the three packuments, npm's own request for dayjs (in the worktree) never gets an answer.
    while (!ended && world.registry.requests.slice(earlier).filter((request) => ["uuid", "commander", "dayjs"].includes(request.name)).length < 3) await new Promise((resolve) => setTimeout(resolve, 50));
    world.registry.override("dayjs", { hang: true });
    while (!ended && !(await branches()).some((branch) => branch.startsWith("bumpwise-tmp-"))) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ended, stderr).toBe(false);
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr.trim().split("\n").at(-1)).toBe("bumpwise: interrupted (SIGINT); the temporary branch and worktree were removed");
    expect(await branches()).toEqual(["main"]);
    expect(await worktrees()).toBe(1);
    expect(await project.fingerprint()).toBe(before);
  }, 30_000);

  it("a branch and worktree left by a killed run are removed by the next run", async () => {
    const stale = await mkdtemp(path.join(os.tmpdir(), "bumpwise-worktree-"));
    // PID 2^22 + 1 is above Linux's pid_max: that process cannot be alive.
    await project.run("git", ["worktree", "add", "--quiet", "-b", "bumpwise-tmp-4194305-1", stale, "HEAD"], project.repo);
    const { code } = await world.bumpwise(project.repo, "review", ".", "--registry", world.registry.url, "--no-github", "--out", path.join(project.repo, ".bumpwise"), "--branch", "deps/upgrade", "--apply", "all");
    expect(code).toBe(0);
    expect(await branches()).toEqual(["deps/upgrade", "main"]);
    expect(await worktrees()).toBe(1);
  });
});

describe("failure messages name the program and what it was for", () => {
  it("`git -c … subcommand` is named by its subcommand; a missing program says what needed it", async () => {
    const failed = await runCommand("git", ["-c", "user.name=x", "no-such-subcommand"], { cwd: project.repo }).then(() => undefined, (error: Error) => error.message);
    expect(failed).toMatch(/^git no-such-subcommand failed \(exit 1\): /);
    const missing = await runCommand("no-such-tool-bumpwise", ["install"], { cwd: project.repo, purpose: "to regenerate poetry.lock" }).then(() => undefined, (error: Error) => error.message);
    expect(missing).toBe("no-such-tool-bumpwise is not installed (not found on PATH); it is needed to regenerate poetry.lock");
  });
});
