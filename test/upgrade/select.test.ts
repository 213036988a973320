import { describe, expect, it } from "vitest";
import type { BumpReview } from "../../src/review-types.js";
import type { Signal } from "../../src/types.js";
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
  // Breaking for this project only because the compiler proved it on the use site.
  const finding = { analyzer: "api-diff" as const, rule: "api/member-removed", severity: "breaking" as const, strength: "proven" as const, message: "Option lost fullDescription", symbols: ["Option"], touches: [{ file: "src/cli.ts", line: 3 }] };
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

describe("a breaking bump under --apply safe", () => {
  const edit = { file: "src/cli.ts", search: "option.fullDescription()", replace: "option.description", reason: "api/proven: fullDescription() was removed" };
  const proven: Signal = { analyzer: "api-diff", rule: "api/proven", severity: "breaking", strength: "proven", message: "proven: src/cli.ts:3 no longer typechecks", touches: [{ file: "src/cli.ts", line: 3 }] };
  // A type-shape reading of another member, which the compiler did not confirm: it does not block the fix.
  const reading: Signal = { analyzer: "api-diff", rule: "api/member-now-required", severity: "breaking", strength: "inferred", message: "Help now requires sortSubcommands", symbols: ["Help"] };
  const breaking = (signals: Signal[]): BumpReview => ({ ...bump("commander", undefined), direct: true, signals, edits: [edit], verdict: { verdict: "breaking", confidence: 0.95, affectsYou: true, reason: "r", strength: "proven" } });

  it("goes on the branch when a validated edit addresses the proven finding, whatever an unconfirmed reading says", () => {
    expect(chooseBumps([breaking([proven, reading])], "safe").chosen.map((chosen) => chosen.name)).toEqual(["commander"]);
  });

  it("stays off when a finding that counts at breaking is left unaddressed", () => {
    const peer: Signal = { analyzer: "contract", rule: "contract/peer-tightened", severity: "breaking", strength: "fact", message: "peer excludes the installed react", fact: "installed react@17.0.2" };
    expect(chooseBumps([breaking([proven, peer])], "safe").skipped).toEqual([{ name: "commander", reason: expect.stringContaining("no validated edit addresses contract/peer-tightened") }]);
  });
});
