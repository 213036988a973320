import { readFile, writeFile } from "node:fs/promises";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CommandTimedOut, runCommand } from "../../src/exec.js";
import { useCliWorld } from "../helpers/cli.js";
import { makeNpmRepo } from "../helpers/npm-repo.js";

// A test command whose child outlives it and holds its stdout: the grandchild's pid is written to a file.
const hanging = `
const { spawn } = require("node:child_process");
const child = spawn("sleep", ["1000"], { stdio: ["ignore", "inherit", "inherit"] });
require("node:fs").writeFileSync(process.argv[1], String(child.pid));
setInterval(() => {}, 1000);
`;

// Gone, or a zombie nobody has reaped yet (PID 1 in a container may not reap).
async function running(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  if (stat === undefined) return false;
  return !/^\d+ \(.*\) Z /.test(stat);
}

describe("a test command past its time limit is stopped, with everything it started", () => {
  it("a command whose grandchild holds stdout is stopped at its limit: its whole process group ends, and the failure names the limit", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-hang-"));
    const pidFile = path.join(dir, "grandchild.pid");
    const failure = await runCommand("node", ["-e", hanging, pidFile], { cwd: dir, env: { PATH: process.env.PATH }, timeoutMs: 1_000 }).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(CommandTimedOut);
    expect((failure as Error).message).toBe("node ran past its time limit (1 s) and was stopped");
    const grandchild = Number(await readFile(pidFile, "utf8"));
    await expect.poll(() => running(grandchild), { timeout: 5_000 }).toBe(false);
  });

  const world = useCliWorld();
  it("review --verify with --verify-timeout: a run past the limit is a setup failure naming the limit, not a failing test", async () => {
    const { repo, run } = await makeNpmRepo(world);
    await writeFile(path.join(repo, "hang.js"), hanging.replace("process.argv[1]", '"grandchild.pid"'));
    await run("git", ["add", "hang.js"], repo);
    await run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "a test that hangs"], repo);
    const { code, stderr } = await world.bumpwise(repo, "review", ".", "--registry", world.registry.url, "--no-github", "--out", path.join(repo, ".bumpwise"), "--verify", "node hang.js", "--verify-timeout", "2");
    expect(code).toBe(0);
    expect(stderr).toContain("--verify: the tests did not run: the test command ran past --verify-timeout (2 s) and was stopped");
    const report = JSON.parse(await readFile(path.join(repo, ".bumpwise/report.json"), "utf8"));
    expect(report.verify).toMatchObject({ outcome: "setup-failed", runs: 1 });
    expect(report.summary.breaking).toBe(0);
  }, 60_000);
});
