import { describe, expect, it } from "vitest";
import { notesGaps, renderTerminalSummary } from "../../src/report/terminal.js";
import type { SourceAttempt } from "../../src/changelog/types.js";
import type { BumpReview } from "../../src/review-types.js";
import { bump, review } from "../helpers/review.js";

// A bump with a version GitHub could have had notes for, and what the GitHub sources said.
function withoutNotes(name: string, ...attempts: Omit<SourceAttempt, "versions">[]): BumpReview {
  const base = bump(name, "no notes");
  return { ...base, releaseNotes: { versions: [], missing: ["1.1.0"] }, notesSources: attempts.map((attempt) => ({ ...attempt, versions: [] })) };
}

describe("the terminal says once why bumps have no notes, and the fix", () => {
  it("no token: the unauthenticated calls ran out", () => {
    const left = { source: "github-release" as const, outcome: "skipped" as const, detail: "no GitHub calls left for this run (set GITHUB_TOKEN)" };
    const reviewed = review([withoutNotes("a", left), withoutNotes("b", left), bump("c", "has notes")]);
    expect(notesGaps(reviewed)).toEqual(["  notes: set GITHUB_TOKEN (e.g. `export GITHUB_TOKEN=$(gh auth token)`) to read GitHub releases: 2 bumps have no notes without it"]);
    expect(renderTerminalSummary(reviewed).match(/set GITHUB_TOKEN/g)).toHaveLength(1);
  });

  it("a rate limit, an unreachable GitHub and --no-github each name their own cause; a missing repository is no GitHub problem", () => {
    const reviewed = review([
      withoutNotes("limited", { source: "github-release", outcome: "error", detail: "GitHub refused releases of tj/commander.js (403): rate limit reached" }),
      withoutNotes("later", { source: "changelog-file", outcome: "skipped", detail: "GitHub's rate limit was reached earlier in this run; uuidjs/uuid not asked" }),
      withoutNotes("offline-ish", { source: "github-release", outcome: "skipped", detail: "GitHub could not be reached earlier in this run; a/b not asked" }),
      withoutNotes("no-repo", { source: "github-release", outcome: "skipped", detail: "no GitHub repository in the package's metadata" }),
    ]);
    expect(notesGaps(reviewed)).toEqual([
      "  notes: GitHub could not be reached: 1 bump has versions without notes; check the network or proxy (HTTPS_PROXY, NODE_EXTRA_CA_CERTS)",
      "  notes: GitHub's rate limit was reached: 2 bumps have versions without notes; set GITHUB_TOKEN (e.g. `export GITHUB_TOKEN=$(gh auth token)`) for 5,000 requests an hour",
    ]);
    expect(notesGaps(review([withoutNotes("a", { source: "github-release", outcome: "skipped", detail: "--no-github: GitHub not asked" })]))).toEqual([
      "  notes: GitHub was not asked (--no-github): 1 bump has versions without notes; run without --no-github to read GitHub releases",
    ]);
  });
});
