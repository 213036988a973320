import { createNotesCollector, type GitHubAllowance, type NotesCollector } from "./index.js";
import { notesSources } from "./sources/index.js";
import { lazyGitHubClient } from "../github/lazy.js";
import { githubToken } from "../github/token.js";
import type { NotesSource } from "./types.js";
import type { JsonCache } from "../registry/cache.js";

// GitHub allows 60 unauthenticated requests an hour per address; leave some for the user's other tools.
const unauthenticatedCalls = 40;

export interface NotesSetup {
  collector: NotesCollector;
  /** For the report: why notes may be incomplete, if they may. */
  note: () => string | undefined;
}

/** Wires the release-note sources for a run: the ecosystem's published archives and GitHub (token from the environment). */
export function releaseNotesSetup(setup: {
  /** The ecosystem's own source: the changelog inside the published archive (npm tarball, Python sdist). */
  packaged?: NotesSource;
  /** The registry or index URL: cached notes are kept apart per registry. */
  scope: string;
  cache: JsonCache;
  offline: boolean;
  /** --no-github */
  github: boolean;
  githubApiUrl: string | undefined;
  env: NodeJS.ProcessEnv;
}): NotesSetup {
  const token = githubToken(setup.env);
  const allowance: GitHubAllowance = { calls: token ? Number.POSITIVE_INFINITY : unauthenticatedCalls };
  if (setup.offline) allowance.closedBecause = "--offline: GitHub not asked";
  if (!setup.github) allowance.closedBecause = "--no-github: GitHub not asked";
  const github = lazyGitHubClient({ token, baseUrl: setup.githubApiUrl ?? setup.env.GITHUB_API_URL });
  const sources = notesSources({ ...(setup.packaged ? { packaged: setup.packaged } : {}), github, githubToken: token !== undefined });
  return {
    collector: createNotesCollector({ sources, cache: setup.cache, github: allowance, scope: setup.scope }),
    note: () => {
      if (allowance.closedBecause) return `GitHub was not fully used (${allowance.closedBecause}): release notes may be incomplete.`;
      if (!token && setup.packaged) return "No GITHUB_TOKEN or GH_TOKEN: GitHub was asked only for versions the package's own archive did not cover, unauthenticated and sparingly; release notes may be incomplete.";
      if (!token) return "No GITHUB_TOKEN or GH_TOKEN: GitHub was asked unauthenticated and sparingly (60 requests an hour); release notes may be incomplete.";
      return undefined;
    },
  };
}
