import { describe, expect, it } from "vitest";
import { notesGaps, renderTerminalSummary, terminalStyle } from "../../src/report/terminal.js";
import { progressLine } from "../../src/cli/review-command.js";
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

describe("the terminal summary's style", () => {
  const long = { ...bump("long", "x"), verdict: { verdict: "risky" as const, confidence: 0.6, affectsYou: null, reason: `a reason ${"that goes on ".repeat(30)}to the end`, strength: "inferred" as const } };
  const held = { ...review([long]), heldBack: [{ name: "young", from: "1.0.0", newest: "1.2.0", reason: "published 2 days ago (--min-age 7)" }], summary: { ...review([long]).summary, heldBack: 1 } };

  it("colours by verdict on a terminal, never with NO_COLOR or when piped", () => {
    expect(terminalStyle({ isTTY: true, columns: 100 }, {})).toEqual({ color: true, columns: 100 });
    expect(terminalStyle({ isTTY: true, columns: 100 }, { NO_COLOR: "1" })).toEqual({ color: false, columns: 100 });
    expect(terminalStyle({ isTTY: false, columns: 100 }, {})).toEqual({ color: false });
    expect(renderTerminalSummary(held, { color: true })).toContain("\u001b[33m  ▲ risky");
    expect(renderTerminalSummary(held, { color: false })).not.toContain("\u001b[");
  });

  it("cuts a reason to the terminal's width, and never when piped", () => {
    const line = (style: { color: boolean; columns?: number }) => renderTerminalSummary(held, style).split("\n").find((text) => text.includes("long 1.0.0"))!;
    expect(line({ color: false, columns: 120 }).length).toBeLessThanOrEqual(120);
    expect(line({ color: false, columns: 120 })).toMatch(/…$/);
    expect(line({ color: false })).toMatch(/to the end$/);
  });

  it("names the held-back packages with their reason, and the majors available", () => {
    expect(renderTerminalSummary(held)).toContain("  held back: young 1.0.0 (newest 1.2.0): published 2 days ago (--min-age 7)");
    const withMajors = { ...held, majors: [{ name: "express", from: "4.18.2", latest: "5.1.0" }] };
    expect(renderTerminalSummary(withMajors)).toContain("  also available (major, not reviewed; `bumpwise explain NAME FROM TO` reviews one): express 4.18.2 → 5.1.0");
  });
});

describe("progress when stderr is not a terminal", () => {
  it("prints a plain line at most every five seconds, and nothing live", () => {
    let clock = 0;
    let written = "";
    const progress = progressLine({ stdout: { write: () => true }, stderr: { write: (text: string) => (written += text) }, cwd: "/", env: {} }, () => clock);
    progress.update({ stage: "registry", done: 1, total: 40 });
    clock = 4000;
    progress.update({ stage: "registry", done: 10, total: 40 });
    clock = 5200;
    progress.update({ stage: "review", done: 3, total: 12 });
    clock = 6000;
    progress.update({ stage: "review", done: 4, total: 12 });
    progress.clear();
    expect(written).toBe("bumpwise: reviewing the bumps, 3 of 12\n");
  });
});
