import { z } from "zod";
import type { GitHubClient } from "./client.js";

const issueComment = z.object({ id: z.number(), body: z.string().nullish(), html_url: z.string() });

export interface PullRequestComment {
  owner: string;
  repo: string;
  /** The pull request's number (its conversation is an issue's). */
  number: number;
  /** Hidden text that marks the comment as this tool's, so a re-run finds and updates it. */
  marker: string;
  body: string;
}

// GitHub lists at most 100 comments a page; a busy pull request has more than one page.
const perPage = 100;
const maxPages = 30;

/** Updates the comment that carries the marker, or posts it: one comment per pull request, ever. */
export async function upsertComment(client: GitHubClient, comment: PullRequestComment): Promise<{ id: number; url: string; created: boolean }> {
  const { owner, repo, number, marker, body } = comment;
  let existing: z.infer<typeof issueComment> | undefined;
  for (let page = 1; page <= maxPages && !existing; page++) {
    const listed = await client.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner, repo, issue_number: number, per_page: perPage, page });
    const comments = z.array(issueComment).parse(listed.data);
    existing = comments.find((candidate) => candidate.body?.includes(marker));
    if (comments.length < perPage) break;
  }
  if (existing) {
    const updated = await client.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { owner, repo, comment_id: existing.id, body });
    const parsed = issueComment.parse(updated.data);
    return { id: parsed.id, url: parsed.html_url, created: false };
  }
  const created = await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner, repo, issue_number: number, body });
  const parsed = issueComment.parse(created.data);
  return { id: parsed.id, url: parsed.html_url, created: true };
}

export interface CommitStatus {
  owner: string;
  repo: string;
  sha: string;
  state: "success" | "failure" | "error" | "pending";
  /** GitHub keeps the first 140 characters. */
  description: string;
  context: string;
  targetUrl?: string;
}

/** Sets the commit status of `context` on `sha` (a later one with the same context replaces it). */
export async function setCommitStatus(client: GitHubClient, status: CommitStatus): Promise<void> {
  const description = status.description.length > 140 ? `${status.description.slice(0, 139)}…` : status.description;
  await client.request("POST /repos/{owner}/{repo}/statuses/{sha}", {
    owner: status.owner,
    repo: status.repo,
    sha: status.sha,
    state: status.state,
    description,
    context: status.context,
    ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
  });
}
