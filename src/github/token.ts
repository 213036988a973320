// Apart from the client so the CLI can check for a token without loading Octokit.

/** Token from GITHUB_TOKEN, else GH_TOKEN. */
export function githubToken(env: NodeJS.ProcessEnv): string | undefined {
  return env.GITHUB_TOKEN || env.GH_TOKEN || undefined;
}
