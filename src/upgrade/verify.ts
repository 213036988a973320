import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseCommandString } from "execa";
import { decideVerdict } from "../analysis/verdict.js";
import type { BumpReview } from "../review-types.js";
import { findCulprits } from "./bisect.js";
import { errorMessage } from "../errors.js";
import { assertSafeFile } from "../safe-file.js";
import { onInterrupt } from "../interrupt.js";
import { CommandFailed, CommandTimedOut, type Exec } from "../exec.js";
import type { LockWriter } from "../ecosystems/lock-writer.js";

export interface VerifyRequest {
  projectDir: string;
  lockfilePath: string;
  /** The ecosystem's pins, lockfile regeneration and install. */
  writer: LockWriter;
  command: string;
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
  /**
   * review --base: the baseline is this commit (the pull request's base), the tests then run on the
   * pull request's own tree (HEAD), and the bisection applies the bumps to the base.
   */
  baseRef?: string;
}

export type VerifyResult =
  | { outcome: "passed" | "failed"; culprits: BumpReview[]; runs: number; detail?: string }
  /** The tests fail on the current lockfile already: no bump is blamed. */
  | { outcome: "baseline-fails"; culprits: []; runs: number; detail: string }
  /** Installing (or finding the test command) failed: the tests never ran, so nothing is said about them. */
  | { outcome: "setup-failed"; culprits: []; runs: number; detail: string }
  /** The command ran no test (pytest collected none, no test script) or there was no bump: no pass is claimed. */
  | { outcome: "no-tests"; culprits: []; runs: number; detail: string };

type Run = { ok: true } | { tests: string } | { setup: string } | { none: string };

/**
 * Runs the project's tests in throwaway worktrees from HEAD (install what the lockfile says — npm with
 * scripts disabled, Python into a virtualenv inside the worktree — then the command): first once on the current lockfile (a baseline: tests that already fail blame no bump),
 * then with the bumps, and when they fail, bisects to the bumps that cause it. An install that fails,
 * or a test command that is not there, is a setup failure, not a test failure; a package manager that
 * is not installed is thrown (CommandFailed), since no run can install anything.
 */
export async function verifyBumps(request: VerifyRequest, bumps: BumpReview[], exec: Exec): Promise<VerifyResult> {
  const git = (args: string[], cwd: string) => exec("git", args, { cwd, env: request.env });
  const repoRoot = (await git(["rev-parse", "--show-toplevel"], request.projectDir)).stdout.trim();
  const projectInRepo = path.relative(repoRoot, request.projectDir);
  const { command, args, shell } = testCommand(request.command);

  const attempt = async (subset: BumpReview[], at: string): Promise<Run> => {
    const worktree = await mkdtemp(path.join(os.tmpdir(), "bumpwise-verify-"));
    const remove = async () => {
      await git(["worktree", "remove", "--force", worktree], repoRoot).catch(() => undefined);
      await rm(worktree, { recursive: true, force: true });
    };
    const interrupted = onInterrupt(remove);
    await git(["worktree", "add", "--quiet", "--detach", worktree, at], repoRoot);
    try {
      const project = path.join(worktree, projectInRepo);
      const lockfile = path.join(project, path.relative(request.projectDir, request.lockfilePath));
      let testEnv: NodeJS.ProcessEnv;
      try {
        if (subset.length > 0) {
          const targets = new Map(subset.map((bump) => [bump.name, bump.to]));
          await assertSafeFile(project, path.relative(project, lockfile), "regenerating");
          await request.writer.pin(project, targets);
          await request.writer.relock(project, targets, exec, request.env, lockfile);
        }
        testEnv = await request.writer.install(project, exec, request.env, lockfile);
      } catch (error) {
        // The project's own tool missing (pnpm, uv) fails the whole --verify, said once: no run can install.
        if (error instanceof CommandFailed && error.missingBinary) throw error;
        const what = subset.length > 0 ? "with the bumps" : at === "HEAD" ? (request.baseRef ? "the pull request's lockfile" : "the current lockfile") : `the lockfile at ${at}`;
        return { setup: `installing ${what} failed: ${errorMessage(error)}` };
      }
      try {
        await exec(command, args, { cwd: project, env: testEnv, timeoutMs: request.timeoutMs });
        return { ok: true };
      } catch (error) {
        // A shell says "not found" with exit 127.
        if (error instanceof CommandFailed && (error.missingBinary || (shell && error.exitCode === 127))) return { setup: `the test command ${firstWord(request.command)} was not found` };
        // Stopped at the limit, the tests said nothing: neither a pass nor a failure to blame a bump for.
        if (error instanceof CommandTimedOut) return { setup: `the test command ran past --verify-timeout (${error.limitMs / 1000} s) and was stopped` };
        const none = error instanceof CommandFailed ? noTestsRan(request.command, error) : undefined;
        return none ? { none } : { tests: errorMessage(error) };
      }
    } finally {
      await remove();
      interrupted();
    }
  };

  if (bumps.length === 0) return { outcome: "no-tests", culprits: [], runs: 0, detail: "there is no bump to verify" };
  const base = request.baseRef ?? "HEAD";
  const baseline = await attempt([], base);
  if ("setup" in baseline) return { outcome: "setup-failed", culprits: [], runs: 1, detail: baseline.setup };
  if ("none" in baseline) return { outcome: "no-tests", culprits: [], runs: 1, detail: baseline.none };
  if ("tests" in baseline) return { outcome: "baseline-fails", culprits: [], runs: 1, detail: baseline.tests };
  // With --base the pull request's tree is tested as it is; otherwise the bumps are applied to HEAD.
  const all = await attempt(request.baseRef ? [] : bumps, "HEAD");
  if ("ok" in all) return { outcome: "passed", culprits: [], runs: 2 };
  if ("setup" in all) return { outcome: "setup-failed", culprits: [], runs: 2, detail: all.setup };
  if ("none" in all) return { outcome: "no-tests", culprits: [], runs: 2, detail: all.none };
  let runs = 2;
  if (request.baseRef) {
    // The pull request may change more than versions (code, added packages): its bumps applied to the
    // base must fail too before any one of them is blamed.
    runs++;
    const bumpsAtBase = await attempt(bumps, base);
    if (!("tests" in bumpsAtBase)) return { outcome: "failed", culprits: [], runs, detail: "the bumps applied to the base pass: something else in the pull request makes the tests fail" };
  }
  // A subset whose install fails is not counted as passing: the bisection looks for what breaks.
  const found = await findCulprits(bumps, async (subset) => "ok" in (await attempt(subset, base)));
  return { outcome: "failed", culprits: found.culprits, runs: runs + found.runs };
}

// A run that tested nothing is not a failing test: pytest exits 5 when it collected no test
// (docs.pytest.org "exit codes"), and the Node package managers fail on a script package.json lacks,
// each in its own words (npm and pnpm "Missing script:", yarn berry "Couldn't find a script named",
// yarn 1 'Command "test" not found'), whichever project the test command runs in.
function noTestsRan(written: string, failure: CommandFailed): string | undefined {
  const runsPytest = /(^|[\s/])pytest(\s|$)/.test(written);
  if (runsPytest && failure.exitCode === 5) return `${written} collected no tests (exit 5)`;
  const script = /Missing script:\s*"?([\w:-]+)"?|Couldn't find a script named "([\w:-]+)"|error Command "([\w:-]+)" not found/.exec(failure.output);
  const name = script?.[1] ?? script?.[2] ?? script?.[3];
  return name ? `${written} has no ${name} script to run` : undefined;
}

/**
 * The test command as the user wrote it: plain words run as they are; a command line with quotes,
 * variables, pipes or `&&` runs through /bin/sh, as it would in their terminal (it is their command,
 * not a package's).
 */
export function testCommand(written: string): { command: string; args: string[]; shell: boolean } {
  if (/["'`$|&;<>()\\*?~]/.test(written)) return { command: "/bin/sh", args: ["-c", written], shell: true };
  const [command = "", ...args] = parseCommandString(written);
  return { command, args, shell: false };
}

const firstWord = (written: string) => written.trim().split(/\s+/)[0] ?? written;

/** Marks a bump that makes the tests fail: the strongest evidence there is. */
export function markBrokenByTests(bump: BumpReview, command: string): void {
  const message = `the project's tests fail with this bump (${command})`;
  bump.signals.unshift({ analyzer: "tests", rule: "tests/failed", severity: "breaking", strength: "proven", message, fact: `the project's tests (${command})` });
  bump.verdict = decideVerdict(bump.signals, { notesRead: true, versions: 0, missing: 0 });
}
