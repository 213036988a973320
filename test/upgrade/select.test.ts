import { describe, expect, it } from "vitest";
import type { BumpReview } from "../../src/review-types.js";
import { chooseBumps } from "../../src/upgrade/select.js";

function bump(name: string, declared: BumpReview["declared"]): BumpReview {
  return {
    name, from: "6.1.1", to: "6.2.1", type: "minor", direct: true, dev: false, importers: ["."], versionsInBetween: ["6.2.0", "6.2.1"],
    releaseNotes: { versions: [], missing: [] }, notesSources: [], signals: [], edits: [],
    verdict: { verdict: "unknown", confidence: 0, affectsYou: null, reason: "", strength: "inferred" },
    ...(declared ? { declared } : {}),
  };
}

describe("choosing the bumps for the branch", () => {
  it("--apply safe leaves an exact pin alone and says so; --apply all lifts it", () => {
    const pinned = bump("socks-proxy-agent", [{ importer: ".", range: "6.1.1", dev: false, exactPin: true, leavesRange: true }]);
    const ranged = bump("debug", [{ importer: ".", range: "^6.1.1", dev: false, exactPin: false, leavesRange: false }]);
    expect(chooseBumps([pinned, ranged], "safe")).toEqual({
      chosen: [ranged],
      skipped: [{ name: "socks-proxy-agent", reason: "package.json pins it at exactly 6.1.1; the pin stays (use --apply all to lift it)" }],
    });
    expect(chooseBumps([pinned, ranged], "all").chosen).toEqual([pinned, ranged]);
  });
});

describe("a breaking bump goes on the branch under --apply safe only when its edits address the finding", () => {
  const finding = { analyzer: "api-diff" as const, rule: "api/member-removed", severity: "breaking" as const, message: "Option lost fullDescription", symbols: ["Option"], touches: [{ file: "src/cli.ts", line: 3 }] };
  const breaking = (edits: BumpReview["edits"]): BumpReview => ({ ...bump("commander", undefined), signals: [finding], edits, verdict: { verdict: "breaking", confidence: 0.8, affectsYou: true, reason: "", strength: "inferred" } });
  const fix = { file: "src/cli.ts", search: "option.fullDescription()", replace: "option.description", reason: "Option no longer has fullDescription()" };

  it("an edit in the finding's use site that names it counts", () => {
    expect(chooseBumps([breaking([fix])], "safe").chosen).toHaveLength(1);
  });

  it.each([
    ["a comment only", { ...fix, replace: "option.fullDescription() // TODO: removed in 12.1" }],
    ["another file", { ...fix, file: "src/other.ts" }],
    ["a reason that names nothing of the finding", { ...fix, reason: "tidy up" }],
  ])("%s does not", (_, edit) => {
    const { chosen, skipped } = chooseBumps([breaking([edit])], "safe");
    expect(chosen).toEqual([]);
    expect(skipped[0]?.reason).toBe("breaking, and no validated edit addresses api/member-removed (use --apply all to take it anyway)");
  });
});
