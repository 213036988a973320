import type { GitHubClient, GitHubSetup } from "./client.js";

/** What the release-note sources ask of GitHub. */
export type GitHubRequester = Pick<GitHubClient, "request">;

/**
 * A GitHub client whose Octokit (with its throttling and retry plugins) is loaded and made on the first
 * request: a run whose notes are all cached never loads it.
 */
export function lazyGitHubClient(setup: GitHubSetup): GitHubRequester {
  let client: Promise<GitHubClient> | undefined;
  const load = () => (client ??= import("./client.js").then(({ createGitHubClient }) => createGitHubClient(setup)));
  const request = async (...args: Parameters<GitHubClient["request"]>) => (await load()).request(...args);
  return { request: request as GitHubClient["request"] };
}
