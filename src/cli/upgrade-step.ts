import path from "node:path";
import hostedGitInfo from "hosted-git-info";
import { InputError, RuntimeFailure } from "../errors.js";
import { createGitHubClient, githubToken } from "../github/client.js";
import { openOrUpdatePullRequest } from "../github/pull-request.js";
import { renderMarkdown } from "../report/markdown.js";
import { countVerdicts } from "../review/index.js";
import type { Review } from "../review-types.js";
import { redactUserinfo } from "../secrets.js";
import type { Inventory } from "../types.js";
import { createUpgradeBranch, describeMove } from "../upgrade/branch.js";
import type { LockWriter } from "../ecosystems/lock-writer.js";
import { CommandFailed, type Exec } from "../exec.js";
import { type ApplyMode, chooseBumps } from "../upgrade/select.js";
import { markBrokenByTests, verifyBumps } from "../upgrade/verify.js";
import type { CliIo } from "./io.js";
import { actionsRunUrl, writeReports } from "./reports.js";

export interface UpgradeFlags {
  verify?: string;
  verifyTimeout: number;
  branch?: string | boolean;
  /** --allow-builds: see WriterSetup. */
  allowBuilds: boolean;
  force: boolean;
  apply: ApplyMode;
  pr: boolean;
  repo?: string;
  githubApiUrl?: string;
  /** Where the reports were written: they are written again once the branch says what it holds. */
  out?: string;
}

/**
 * --verify, before the reports are written: the project's tests with the chosen bumps, and the bumps
 * that break them (bisected) marked as breaking (tests).
 */
export async function runVerifyStep(review: Review, inventory: Inventory, writer: LockWriter, flags: UpgradeFlags, io: CliIo, exec: Exec): Promise<void> {
  if (!flags.verify) return;
  // A pull request's change is tested whole, as its author chose it; an upgrade, with the bumps --apply takes.
  const baseRef = review.lockChange?.base;
  const chosen = baseRef ? review.bumps : chooseBumps(review.bumps, flags.apply).chosen;
  let result: Awaited<ReturnType<typeof verifyBumps>>;
  try {
    result = await verifyBumps(
      { projectDir: review.project.dir, lockfilePath: inventory.lockfilePath, writer, command: flags.verify, timeoutMs: flags.verifyTimeout * 1000, env: io.env, ...(baseRef ? { baseRef } : {}) },
      chosen,
      exec,
    );
  } catch (error) {
    if (error instanceof CommandFailed) throw new RuntimeFailure(`--verify could not run: ${error.message}`);
    throw error;
  }
  for (const culprit of result.culprits) markBrokenByTests(culprit, flags.verify);
  Object.assign(review.summary, countVerdicts(review.bumps));
  const before = baseRef ? `at ${baseRef}` : "on the current lockfile";
  const after = baseRef ? "on the pull request" : "with the bumps";
  const said = {
    passed: baseRef ? `the tests pass ${before} and ${after}` : `the tests pass ${before} and with all ${chosen.length} bumps`,
    failed: result.culprits.length > 0 ? `the tests pass ${before} and fail ${after}; ${result.culprits.map((bump) => bump.name).join(", ")} found in ${result.runs} runs` : `the tests pass ${before} and fail ${after}; ${"detail" in result ? result.detail : "no single bump found"}`,
    "baseline-fails": `the tests already fail ${before}, so no bump is blamed (${"detail" in result ? result.detail : ""})`,
    "setup-failed": `the tests did not run: ${"detail" in result ? result.detail : ""}`,
    "no-tests": `no tests ran: ${"detail" in result ? result.detail : ""}`,
  }[result.outcome];
  review.verify = { command: flags.verify, outcome: result.outcome, runs: result.runs, detail: said };
  io.stderr.write(`--verify: ${said}\n`);
}

/** --branch and --pr, after the review: the upgrade branch, pushed and opened as a pull request. */
export async function runUpgradeStep(review: Review, inventory: Inventory, writer: LockWriter, flags: UpgradeFlags, io: CliIo, exec: Exec, secrets: string[] = []): Promise<void> {
  if (!flags.branch && !flags.pr) return;
  const branch = typeof flags.branch === "string" ? flags.branch : `bumpwise/${review.generatedAt.slice(0, 10)}`;
  let result: Awaited<ReturnType<typeof createUpgradeBranch>>;
  try {
    result = await createUpgradeBranch(
      { projectDir: review.project.dir, lockfilePath: inventory.lockfilePath, writer, branch, force: flags.force, apply: flags.apply, bumps: review.bumps, env: io.env, secrets },
      exec,
    );
  } catch (error) {
    if (error instanceof CommandFailed) throw new RuntimeFailure(`the upgrade branch was not made: ${error.message}`);
    throw error;
  }
  for (const warning of result.warnings) io.stderr.write(`warning: ${warning}\n`);
  for (const skipped of result.skipped) io.stderr.write(`  not on the branch: ${skipped.name} (${skipped.reason})\n`);
  if (result.moved.length > 0) io.stderr.write(`  also moved by the resolver:\n${result.moved.map((move) => `  ${describeMove(move)}`).join("\n")}\n`);
  if (result.applied.length === 0) return;
  io.stderr.write(`Branch ${result.branch}: ${result.commits.length} commit(s), ${result.applied.length} upgrade(s)\n`);
  review.branch = { name: result.branch, applied: result.applied, skipped: result.skipped, moved: result.moved, tool: writer.tool };
  if (flags.out) {
    // The reports now say what the branch holds ("In this PR", "Not in this PR"): report.md is the PR body.
    await writeReports(review, path.resolve(io.cwd, flags.out), io.env);
  }
  if (!flags.pr) return;

  const token = githubToken(io.env);
  if (!token) throw new InputError("--pr needs GITHUB_TOKEN or GH_TOKEN in the environment");
  const { owner, repo } = await repository(flags.repo, io, review.project.dir, exec);
  try {
    await exec("git", ["push", "--force", "--quiet", "origin", `refs/heads/${result.branch}:refs/heads/${result.branch}`], { cwd: review.project.dir, env: io.env });
  } catch (error) {
    throw new RuntimeFailure(`cannot push ${result.branch} to origin: ${(error as Error).message}`);
  }
  // Title, draft state and labels count what the branch holds, not what was reviewed.
  const onBranch = new Set(result.applied.map((bump) => bump.name));
  const breaking = review.bumps.filter((bump) => onBranch.has(bump.name) && bump.verdict.verdict === "breaking").length;
  const client = createGitHubClient({ token, baseUrl: flags.githubApiUrl ?? io.env.GITHUB_API_URL });
  try {
    const pull = await openOrUpdatePullRequest(client, {
      owner,
      repo,
      head: result.branch,
      title: `Upgrade ${result.applied.length} ${result.applied.length === 1 ? "dependency" : "dependencies"}${breaking > 0 ? ` (${breaking} breaking)` : ""}`,
      body: redactUserinfo(renderMarkdown(review, undefined, actionsRunUrl(io.env))),
      draft: breaking > 0,
      labels: ["dependencies", "bumpwise", ...(breaking > 0 ? ["breaking"] : [])],
    });
    io.stderr.write(`Pull request #${pull.number} ${pull.created ? "opened" : "updated"}: ${pull.url}\n`);
  } catch (error) {
    const status = (error as { status?: number }).status;
    throw new RuntimeFailure(`GitHub refused the pull request${status ? ` (${status})` : ""} for ${owner}/${repo}`);
  }
}

// --repo, else GITHUB_REPOSITORY (set by GitHub Actions), else the origin remote.
export async function repository(flag: string | undefined, io: CliIo, cwd: string, exec: Exec): Promise<{ owner: string; repo: string }> {
  const named = flag ?? io.env.GITHUB_REPOSITORY;
  if (named) {
    const [owner, repo] = named.split("/");
    if (owner && repo) return { owner, repo };
    throw new InputError(`--repo expects owner/name, got "${named}"`);
  }
  const remote = await exec("git", ["remote", "get-url", "origin"], { cwd, env: io.env }).then((r) => r.stdout.trim(), () => "");
  const info = remote ? hostedGitInfo.fromUrl(remote) : undefined;
  if (info?.user && info.project) return { owner: info.user, repo: info.project };
  throw new InputError("cannot tell the GitHub repository: pass --repo owner/name");
}
