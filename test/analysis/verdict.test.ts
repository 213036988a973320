import { describe, expect, it } from "vitest";
import { countedSeverity, decideVerdict } from "../../src/analysis/verdict.js";
import { strengthOf } from "../../src/analysis/evidence.js";
import type { Signal } from "../../src/types.js";

const coverage = { notesRead: true, versions: 3, missing: 0 };
const zeroMajor: Signal = { analyzer: "contract", rule: "contract/zero-major", severity: "info", strength: "inferred", message: "0.4.0 → 0.5.0 is a 0.x step: no compatibility promise" };
const generic: Signal = { analyzer: "heuristic", rule: "heuristic/no-longer", severity: "risky", message: "something no longer works as before" };
const aboutYou: Signal = { analyzer: "contract", rule: "contract/peer-tightened", severity: "risky", message: "peer react tightened; the installed react fits", fact: "installed react@18.2.0" };
// A type-shape finding on a member the code reaches, with no compiler run: a reading, not a proof.
const shapeAtYourCode: Signal = { analyzer: "api-diff", rule: "api/member-removed", severity: "breaking", strength: "inferred", message: "Option lost fullDescription (this project uses Option)", touches: [{ file: "src/cli.ts", line: 3 }] };
const proven: Signal = { analyzer: "api-diff", rule: "api/proven", severity: "breaking", strength: "proven", message: "proven: src/cli.ts:3 no longer typechecks against the new declarations", touches: [{ file: "src/cli.ts", line: 3 }] };
const engines: Signal = { analyzer: "contract", rule: "contract/engines-narrowed", severity: "breaking", message: "engines.node narrowed to >=18, which excludes Node 16, a version the project supports (engines.node >=16)", fact: "engines.node >=16", strength: "fact" };
const quotedAtUse: Signal = { analyzer: "heuristic", rule: "heuristic/breaking-change", severity: "breaking", message: "the notes announce a breaking change: it names `redirect`, which the project uses at src/app.js:4", evidence: { quote: "BREAKING: `res.redirect('back')` removed", version: "5.0.0" }, touches: [{ file: "src/app.js", line: 4 }], strength: "quoted" };

describe("the evidence scale", () => {
  it("reads a signal's strength from its shape when the analyzer did not say", () => {
    expect(strengthOf({ analyzer: "tests", rule: "tests/failed", severity: "breaking", message: "m" })).toBe("proven");
    expect(strengthOf({ analyzer: "contract", rule: "contract/peer-tightened", severity: "breaking", message: "m", fact: "installed react@17.0.2" })).toBe("fact");
    expect(strengthOf({ analyzer: "llm", rule: "llm/breaking", severity: "breaking", message: "m", evidence: { quote: "q", version: "1.1.0" }, touches: [{ file: "a.ts", line: 1 }] })).toBe("quoted");
    expect(strengthOf({ analyzer: "llm", rule: "llm/breaking", severity: "breaking", message: "m", evidence: { quote: "q", version: "1.1.0" } })).toBe("inferred");
    expect(strengthOf({ analyzer: "contract", rule: "contract/install-script-added", severity: "risky", message: "m" })).toBe("inferred");
  });

  it("breaking needs proven, fact or quoted evidence: inferred evidence counts as risky at most", () => {
    expect(countedSeverity(shapeAtYourCode)).toBe("risky");
    expect(countedSeverity(engines)).toBe("breaking");
    expect(decideVerdict([shapeAtYourCode], coverage)).toMatchObject({ verdict: "risky", strength: "inferred", reason: "Option lost fullDescription (this project uses Option) (inferred evidence: at most risky)" });
    for (const decisive of [proven, engines, quotedAtUse]) {
      expect(decideVerdict([shapeAtYourCode, decisive], coverage)).toMatchObject({ verdict: "breaking", strength: decisive.strength, reason: decisive.message });
    }
  });
});

describe("the merge rule", () => {
  it("the top reason is the strongest, most project-relevant signal of the most severe level", () => {
    expect(decideVerdict([zeroMajor, generic, aboutYou], coverage).reason).toBe("peer react tightened; the installed react fits (+1 more)");
    expect(decideVerdict([generic, shapeAtYourCode, proven], coverage)).toMatchObject({ verdict: "breaking", reason: "proven: src/cli.ts:3 no longer typechecks against the new declarations", strength: "proven", affectsYou: true });
  });

  it("a 0.x step alone is never a verdict: unknown with that reason when notes are missing, safe when every version's notes were read", () => {
    expect(decideVerdict([zeroMajor], { notesRead: true, versions: 3, missing: 2 })).toMatchObject({ verdict: "unknown", reason: "0.x: no compatibility promise; no breaking or risky change found, but 2 of 3 versions have no release notes" });
    expect(decideVerdict([zeroMajor], coverage)).toMatchObject({ verdict: "safe" });
  });

  it("a failing test run decides, with the strongest confidence", () => {
    const tests: Signal = { analyzer: "tests", rule: "tests/failed", severity: "breaking", message: "the project's tests fail with this bump (npm test)" };
    expect(decideVerdict([shapeAtYourCode, engines, tests], coverage)).toEqual({ verdict: "breaking", confidence: 0.95, affectsYou: true, reason: "breaking (tests): the project's tests fail with this bump (npm test) (+1 more)", strength: "proven" });
  });

  it("Claude's judgement that nothing reaches the project makes a bump safe even where notes are missing, less confidently; without it the bump stays unknown", () => {
    const partial = { notesRead: true, versions: 4, missing: 3 };
    const safe = { verdict: "safe" as const, confidence: 0.8, summary: "the project calls only uuid.v4, which did not change", affectsYou: false };
    expect(decideVerdict([zeroMajor], partial, safe)).toMatchObject({ verdict: "safe", confidence: 0.6, strength: "inferred", reason: "Claude: the project calls only uuid.v4, which did not change (3 of 4 versions have no notes)" });
    expect(decideVerdict([zeroMajor], partial, { ...safe, affectsYou: null }).verdict).toBe("unknown");
    // It never lowers a risky or breaking signal: that stays, and the disagreement is shown on the row.
    expect(decideVerdict([generic], partial, safe).verdict).toBe("risky");
  });

  it("keeps the deterministic affectsYou when Claude has no answer", () => {
    expect(decideVerdict([engines], coverage, { verdict: "breaking", confidence: 0.9, summary: "s", affectsYou: null }, true).affectsYou).toBe(true);
    expect(decideVerdict([engines], coverage, { verdict: "breaking", confidence: 0.9, summary: "s", affectsYou: false }, true).affectsYou).toBe(false);
  });
});
