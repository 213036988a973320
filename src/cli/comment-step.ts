import { readFile } from "node:fs/promises";
import { z } from "zod";
import { InputError, RuntimeFailure } from "../errors.js";
import type { Exec } from "../exec.js";
import { createGitHubClient, githubToken } from "../github/client.js";
import { setCommitStatus, upsertComment } from "../github/comment.js";
import { commentMarker, failsOn, renderComment } from "../report/comment.js";
import type { Review } from "../review-types.js";
import { redactUserinfo } from "../secrets.js";
import type { CliIo } from "./io.js";
import { repository } from "./upgrade-step.js";

export interface CommentFlags {
  comment: boolean;
  /** The pull request to comment on; default: the event payload's (GitHub Actions, pull_request). */
  prNumber?: number;
  repo?: string;
  githubApiUrl?: string;
  failOn: "breaking" | "risky" | "never";
}

export interface CommentTarget {
  owner: string;
  repo: string;
  number: number;
  /** The commit the status is set on: the pull request's head, not the merge commit Actions checks out. */
  sha: string;
  token: string;
}

// The part of a pull_request event payload bumpwise reads (GITHUB_EVENT_PATH).
const pullRequestEvent = z.object({ pull_request: z.object({ number: z.number().int().positive(), head: z.object({ sha: z.string().regex(/^[0-9a-f]{40}$/) }) }).optional() });

/** Everything --comment needs, checked before the review runs: a review made only to fail at the post is work thrown away. */
export async function commentTarget(flags: CommentFlags, io: CliIo, projectDir: string, exec: Exec): Promise<CommentTarget> {
  const token = githubToken(io.env);
  if (!token) throw new InputError("--comment needs GITHUB_TOKEN or GH_TOKEN in the environment");
  const event = await readEvent(io.env.GITHUB_EVENT_PATH);
  const number = flags.prNumber ?? event?.number;
  if (number === undefined) throw new InputError("--comment needs the pull request: pass --pr-number N (in a pull_request workflow it is read from GITHUB_EVENT_PATH)");
  const { owner, repo } = await repository(flags.repo, io, projectDir, exec);
  const sha = event && event.number === number ? event.head : (await exec("git", ["rev-parse", "HEAD"], { cwd: projectDir, env: io.env, purpose: "to name the commit the status is for" })).stdout.trim();
  return { owner, repo, number, sha, token };
}

async function readEvent(file: string | undefined): Promise<{ number: number; head: string } | undefined> {
  if (!file) return undefined;
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  let parsed: z.infer<typeof pullRequestEvent>;
  try {
    parsed = pullRequestEvent.parse(JSON.parse(text));
  } catch {
    return undefined;
  }
  return parsed.pull_request ? { number: parsed.pull_request.number, head: parsed.pull_request.head.sha } : undefined;
}

/** Posts or updates the one bumpwise comment on the pull request, and sets the `bumpwise` commit status by --fail-on. */
export async function runCommentStep(review: Review, target: CommentTarget, flags: CommentFlags, io: CliIo, runUrl: string | undefined): Promise<void> {
  const client = createGitHubClient({ token: target.token, baseUrl: flags.githubApiUrl ?? io.env.GITHUB_API_URL });
  const { owner, repo, number } = target;
  const body = redactUserinfo(renderComment(review, { failOn: flags.failOn, ...(runUrl ? { runUrl } : {}) }));
  const failing = failsOn(review, flags.failOn);
  const s = review.summary;
  try {
    const comment = await upsertComment(client, { owner, repo, number, marker: commentMarker, body });
    io.stderr.write(`Comment on #${number} ${comment.created ? "posted" : "updated"}: ${comment.url}\n`);
    await setCommitStatus(client, {
      owner,
      repo,
      sha: target.sha,
      state: failing ? "failure" : "success",
      context: "bumpwise",
      description: `${s.breaking} breaking, ${s.risky} risky, ${s.safe} safe of ${s.bumps} bumps${flags.failOn === "never" ? "" : ` (fail on ${flags.failOn})`}`,
      ...(runUrl ? { targetUrl: runUrl } : {}),
    });
  } catch (error) {
    const status = (error as { status?: number }).status;
    // Dependabot's pull requests get a read-only GITHUB_TOKEN unless the workflow grants more.
    const hint = status === 403 ? ": the token cannot write here (a workflow needs `permissions: pull-requests: write, statuses: write`)" : "";
    throw new RuntimeFailure(`GitHub refused the comment or status${status ? ` (${status})` : ""} on ${owner}/${repo}#${number}${hint}`);
  }
}
