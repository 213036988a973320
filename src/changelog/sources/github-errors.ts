import { unreachableStatus } from "../../github/unreachable.js";
import { NotesSourceError } from "../types.js";

/** An Octokit failure as a one-line NotesSourceError (never including the token). */
export function githubFailure(error: unknown, what: string): NotesSourceError {
  const status = (error as { status?: number }).status;
  if (status === 404) return new NotesSourceError("not-found", `GitHub has no ${what} (404)`);
  if (status === 403 || status === 429) {
    const headers = (error as { response?: { headers?: Record<string, string | undefined> } }).response?.headers ?? {};
    const reset = Number(headers["x-ratelimit-reset"]);
    const when = Number.isFinite(reset) && reset > 0 ? `; it resets at ${new Date(reset * 1000).toISOString()}` : "";
    return new NotesSourceError("rate-limited", `GitHub refused ${what} (${status}): rate limit reached${when}`);
  }
  if (status === 401) return new NotesSourceError("unavailable", `GitHub rejected the token (401) for ${what}`);
  // Octokit reports a request that got no answer at all (DNS, refused, reset) as a 500 with no response.
  if (status === undefined || status === unreachableStatus || (status === 500 && !(error as { response?: unknown }).response)) {
    return new NotesSourceError("unreachable", `cannot reach GitHub for ${what}`);
  }
  return new NotesSourceError("unavailable", `GitHub failed on ${what} (${status})`);
}
