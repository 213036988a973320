import { describe, expect, it } from "vitest";
import type { BumpReview } from "../../src/review/types.js";
import { chooseBumps } from "../../src/upgrade/select.js";

function bump(name: string, declared: BumpReview["declared"]): BumpReview {
  return {
    name, from: "6.1.1", to: "6.2.1", type: "minor", direct: true, dev: false, importers: ["."], versionsInBetween: ["6.2.0", "6.2.1"],
    releaseNotes: { versions: [], missing: [] }, notesSources: [], signals: [], edits: [],
    verdict: { verdict: "unknown", confidence: 0, affectsYou: null, reason: "" },
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
