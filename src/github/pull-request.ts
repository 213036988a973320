import type { GitHubClient } from "./client.js";

export interface PullRequestRequest {
  owner: string;
  repo: string;
  head: string;
  title: string;
  body: string;
  draft: boolean;
  labels: string[];
}

/** GitHub refuses PR bodies over 65,536 characters. */
export const maxBodyChars = 65_536;

/**
 * Opens the pull request for `head`, or updates the open one (a re-run never opens a second). Labels
 * are added either way.
 */
export async function openOrUpdatePullRequest(client: GitHubClient, request: PullRequestRequest): Promise<{ number: number; url: string; created: boolean }> {
  const { owner, repo } = request;
  const body = request.body.length > maxBodyChars ? `${request.body.slice(0, maxBodyChars - 40)}\n\n… (truncated: see report.json)` : request.body;
  const open = await client.request("GET /repos/{owner}/{repo}/pulls", { owner, repo, head: `${owner}:${request.head}`, state: "open", per_page: 10 });
  const existing = open.data[0];
  let number: number;
  let url: string;
  if (existing) {
    const updated = await client.request("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", { owner, repo, pull_number: existing.number, title: request.title, body });
    number = updated.data.number;
    url = updated.data.html_url;
  } else {
    const { data: repository } = await client.request("GET /repos/{owner}/{repo}", { owner, repo });
    const created = await client.request("POST /repos/{owner}/{repo}/pulls", {
      owner,
      repo,
      head: request.head,
      base: repository.default_branch,
      title: request.title,
      body,
      draft: request.draft,
    });
    number = created.data.number;
    url = created.data.html_url;
  }
  if (request.labels.length > 0) {
    await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", { owner, repo, issue_number: number, labels: request.labels });
  }
  return { number, url, created: !existing };
}
