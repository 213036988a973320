import { Octokit } from "@octokit/core";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { connectionFailure } from "../registry/connection.js";
import { unreachableStatus } from "./unreachable.js";

const GitHub = Octokit.plugin(throttling, retry);
export type GitHubClient = InstanceType<typeof GitHub>;

export interface GitHubSetup {
  token?: string | undefined;
  /** GITHUB_API_URL or --github-api-url; GitHub Enterprise works the same way. */
  baseUrl?: string | undefined;
  /** Longest wait for a rate limit before giving up on GitHub for this run, in seconds. */
  maxRateLimitWaitSeconds?: number;
  /** Retries of a 5xx answer, waiting (n+1)² × retryBaseMs; defaults 2 and 1,000 ms. */
  retries?: number;
  retryBaseMs?: number;
  /** Told when GitHub is rate limited and the run stops asking it. */
  onRateLimited?: (message: string) => void;
}

export { githubToken } from "./token.js";

/**
 * Octokit with throttling and retries. A rate limit is waited out once when the reset is near
 * (retry-after / x-ratelimit-reset); otherwise the request fails and the caller degrades.
 */
export function createGitHubClient(setup: GitHubSetup): GitHubClient {
  const maxWait = setup.maxRateLimitWaitSeconds ?? 60;
  const onLimit = (kind: string) => (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => {
    if (retryCount < 1 && retryAfter <= maxWait) return true;
    setup.onRateLimited?.(`GitHub ${kind} rate limit reached (retry after ${retryAfter} s)`);
    return false;
  };
  // A request that gets no answer at all (DNS, refused, reset) will not get one on a retry either: it
  // becomes a 599 answer (the status proxies use for "no answer"), which is not retried, and every
  // later request of the run gets the same at once, without touching the network.
  let unreachable: string | undefined;
  const noAnswer = () => new Response(JSON.stringify({ message: `no answer from GitHub (${unreachable})` }), { status: unreachableStatus, headers: { "content-type": "application/json" } });
  const guardedFetch: typeof fetch = async (input, init) => {
    if (unreachable) return noAnswer();
    try {
      return await fetch(input, init);
    } catch (error) {
      unreachable = connectionFailure(error) ?? (error as Error).message;
      return noAnswer();
    }
  };
  const client = new GitHub({
    request: { fetch: guardedFetch },
    ...(setup.token ? { auth: setup.token } : {}),
    ...(setup.baseUrl ? { baseUrl: setup.baseUrl.replace(/\/+$/, "") } : {}),
    userAgent: "bumpwise",
    throttle: { onRateLimit: onLimit("primary"), onSecondaryRateLimit: onLimit("secondary") },
    retry: {
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451, unreachableStatus],
      retries: setup.retries ?? 2,
      retryAfterBaseValue: setup.retryBaseMs ?? 1000,
    },
  });
  return client;
}

export { unreachableStatus } from "./unreachable.js";
