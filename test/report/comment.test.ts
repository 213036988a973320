import { describe, expect, it } from "vitest";
import { commentMarker, failsOn, renderComment } from "../../src/report/comment.js";
import type { BumpReview, Review } from "../../src/review-types.js";
import type { Signal, VerdictLevel } from "../../src/types.js";
import { review as reviewOf } from "../helpers/review.js";

function bump(name: string, verdict: VerdictLevel, signals: Signal[] = [], type: BumpReview["type"] = "minor"): BumpReview {
  return {
    name,
    from: "1.0.0",
    to: type === "major" ? "2.0.0" : "1.1.0",
    type,
    direct: name !== "ms",
    dev: false,
    importers: ["."],
    ...(name === "ms" ? { pulledBy: ["express"] } : {}),
    versionsInBetween: ["1.1.0"],
    releaseNotes: { versions: [], missing: [] },
    notesSources: [],
    signals,
    verdict: { verdict, confidence: 0.8, affectsYou: verdict === "breaking", reason: `${name} reason, thanks @octocat in #123`, strength: verdict === "breaking" ? "quoted" : "inferred" },
    edits: [],
    usedBy: { files: ["src/app.ts"], sites: 2 },
  };
}

// The report renderers' review, with a lockfile change since a base ref.
function review(bumps: BumpReview[]): Review {
  const base = reviewOf(bumps);
  return {
    ...base,
    summary: { ...base.summary, directPackages: 3 },
    lockChange: { base: "origin/main", baseLockfileMissing: false, upgraded: bumps.length, downgraded: [], added: [{ name: "zod", kind: "added", to: "3.25.0", direct: false, dev: false, importers: [] }], removed: [] },
  };
}

const quoted: Signal = {
  analyzer: "heuristic",
  rule: "notes/removed",
  severity: "breaking",
  strength: "quoted",
  message: "removed `parse()` (cc @maintainer, fixes #42)",
  evidence: { quote: "Removed parse(); see @someone", version: "2.0.0", source: "notes" },
  touches: [{ file: "src/app.ts", line: 3 }],
};

describe("the pull request comment", () => {
  const body = renderComment(review([bump("left-pad", "safe"), bump("express", "breaking", [quoted], "major"), bump("ms", "risky")]), { failOn: "breaking" });

  it("starts with the hidden marker and one line verdict that says whether it fails the check", () => {
    const [marker, verdict] = body.split("\n");
    expect(marker).toBe(commentMarker);
    expect(verdict).toBe("🔴 **bumpwise: 1 breaking, 1 risky, 1 safe** of 3 bumps in the lockfile change since `origin/main` (`package-lock.json`). Fails the check (--fail-on breaking).");
  });

  it("puts the bumps that matter first with their evidence and strength, a major labelled, and collapses the rest", () => {
    const express = body.indexOf("### 🔴 `express` 1.0.0 → 2.0.0 — breaking (quoted)");
    const ms = body.indexOf("### 🟠 `ms` 1.0.0 → 1.1.0 — risky (inferred)");
    const details = body.indexOf("<details><summary>1 more bump (safe or unknown), packages added, removed or downgraded</summary>");
    expect(express).toBeGreaterThan(0);
    expect(ms).toBeGreaterThan(express);
    expect(details).toBeGreaterThan(ms);
    expect(body.indexOf("`left-pad`")).toBeGreaterThan(details);
    expect(body).toContain("major (chosen by the pull request, reviewed like the others), direct, imported by 1 file.");
    expect(body).toContain("- **breaking**, quoted: removed \\`parse\\(\\)\\` \\(cc @\u200bmaintainer, fixes \\#\u200b42\\) at `src/app.ts:3`");
    expect(body).toContain("risky (inferred)\n\nminor, transitive, pulled in by `express`, imported by 1 file.");
  });

  it("pings nobody and links no issue: every @ and # from notes and reasons is escaped", () => {
    const outsideCode = body.replace(/`[^`]*`/g, "");
    expect(outsideCode).not.toMatch(/@[\w-]/);
    expect(outsideCode).not.toMatch(/#\d/);
  });

  it("the check fails by --fail-on as the exit code does", () => {
    const risky = review([bump("ms", "risky")]);
    expect([failsOn(risky, "never"), failsOn(risky, "breaking"), failsOn(risky, "risky")]).toEqual([false, false, true]);
    expect(renderComment(review([]), { failOn: "risky" }).split("\n")[1]).toBe("**bumpwise: no version upgrade to review** in the lockfile change since `origin/main` (`package-lock.json`).");
  });
});

describe("the pull request comment at GitHub's size limit", () => {
  const longSignal = (index: number): Signal => ({ ...quoted, message: `removed \`api${index}()\` ${"and more words about it ".repeat(40)}` });
  const many = (count: number, verdict: VerdictLevel, prefix: string) => Array.from({ length: count }, (_, index) => bump(`${prefix}${index}`, verdict, [longSignal(index), longSignal(index + 1000)]));

  it("cuts the collapsed safe rows first and keeps every breaking bump's evidence whole", () => {
    const body = renderComment(review([...many(20, "breaking", "broken"), ...many(2000, "safe", "fine")]), { failOn: "breaking" });
    expect(body.length).toBeLessThanOrEqual(60_000);
    for (let index = 0; index < 20; index++) expect(body).toContain(`### 🔴 \`broken${index}\``);
    expect(body).not.toContain("<details>");
    expect(body).toContain("2000 more bumps (safe or unknown), packages added, removed or downgraded: in the full report.");
    expect(body).toMatch(/<sub>bumpwise .*updated on every push\.<\/sub>\n$/);
  });

  it("when the risky and breaking bumps alone are too many, whole bumps give way from the least important, each named, never half a block", () => {
    const body = renderComment(review([...many(80, "risky", "shaky"), ...many(20, "breaking", "broken")]), { failOn: "breaking" });
    expect(body.length).toBeLessThanOrEqual(60_000);
    for (let index = 0; index < 20; index++) expect(body).toContain(`### 🔴 \`broken${index}\``);
    const shown = (body.match(/^### /gm) ?? []).length;
    expect(shown).toBeLessThan(100);
    expect(body).toMatch(new RegExp(`…and ${100 - shown} more breaking or risky bumps, cut at GitHub's comment limit: \`shaky\\d+\` \\(risky\\)`));
    // Every block shown ends with its evidence lines: none is cut in the middle.
    for (const block of body.split(/^### /m).slice(1)) expect(block.match(/^ {2}> `Removed parse\(\); see @someone` \(2\.0\.0\)$/gm)).toHaveLength(2);
  });
});
