import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseCommandString } from "execa";
import { decideVerdict } from "../analysis/verdict.js";
import type { BumpReview } from "../review/types.js";
import type { PackageManager } from "../types.js";
import { findCulprits } from "./bisect.js";
import type { Exec } from "./exec.js";
import { managerCommands } from "./manager.js";
import { pinProject } from "./pin-project.js";

export interface VerifyRequest {
  projectDir: string;
  manager: PackageManager;
  command: string;
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
}

export interface VerifyResult {
  passed: boolean;
  culprits: BumpReview[];
  runs: number;
}

/**
 * Runs the project's tests with the bumps applied, in throwaway worktrees from HEAD (install with
 * scripts disabled, then the command). When they fail, bisects to the bumps that cause it.
 */
export async function verifyBumps(request: VerifyRequest, bumps: BumpReview[], exec: Exec): Promise<VerifyResult> {
  const git = (args: string[], cwd: string) => exec("git", args, { cwd, env: request.env });
  const repoRoot = (await git(["rev-parse", "--show-toplevel"], request.projectDir)).stdout.trim();
  const projectInRepo = path.relative(repoRoot, request.projectDir);
  const [command = "", ...args] = parseCommandString(request.command);
  const commands = managerCommands(request.manager);

  const passes = async (subset: BumpReview[]): Promise<boolean> => {
    const worktree = await mkdtemp(path.join(os.tmpdir(), "bumpwise-verify-"));
    await git(["worktree", "add", "--quiet", "--detach", worktree, "HEAD"], repoRoot);
    try {
      const project = path.join(worktree, projectInRepo);
      const targets = new Map(subset.map((bump) => [bump.name, bump.to]));
      await pinProject(project, targets);
      await exec(commands.binary, commands.updateLockfile, { cwd: project, env: request.env });
      await exec(commands.binary, commands.cleanInstall, { cwd: project, env: request.env });
      await exec(command, args, { cwd: project, env: request.env, timeoutMs: request.timeoutMs });
      return true;
    } catch {
      return false;
    } finally {
      await git(["worktree", "remove", "--force", worktree], repoRoot).catch(() => undefined);
      await rm(worktree, { recursive: true, force: true });
    }
  };

  if (bumps.length === 0 || (await passes(bumps))) return { passed: true, culprits: [], runs: bumps.length === 0 ? 0 : 1 };
  const { culprits, runs } = await findCulprits(bumps, passes);
  return { passed: false, culprits, runs: runs + 1 };
}

/** Marks a bump that makes the tests fail: the strongest evidence there is. */
export function markBrokenByTests(bump: BumpReview, command: string): void {
  const message = `the project's tests fail with this bump (${command})`;
  bump.signals.unshift({ analyzer: "tests", rule: "tests/failed", severity: "breaking", message, fact: `the project's tests (${command})` });
  bump.verdict = decideVerdict(bump.signals, { notesRead: true, versions: 0, missing: 0 });
}
