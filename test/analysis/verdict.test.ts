import { describe, expect, it } from "vitest";
import { decideVerdict } from "../../src/analysis/verdict.js";
import type { Signal } from "../../src/types.js";

const coverage = { notesRead: true, versions: 3, missing: 0 };
const zeroMajor: Signal = { analyzer: "contract", rule: "contract/zero-major", severity: "risky", message: "0.4.0 → 0.5.0 is a 0.x step" };
const generic: Signal = { analyzer: "heuristic", rule: "heuristic/no-longer", severity: "risky", message: "something no longer works as before" };
const aboutYou: Signal = { analyzer: "contract", rule: "contract/peer-tightened", severity: "risky", message: "peer react tightened; the installed react fits", fact: "installed react@18.2.0" };
const atYourCode: Signal = { analyzer: "api-diff", rule: "api/member-removed", severity: "breaking", message: "Option lost fullDescription (this project uses Option)", touches: [{ file: "src/cli.ts", line: 3 }] };

describe("the merge rule", () => {
  it("the top reason is the most severe project-relevant signal, never the 0.x step when something concrete exists", () => {
    expect(decideVerdict([zeroMajor, generic, aboutYou], coverage).reason).toBe("peer react tightened; the installed react fits (+2 more)");
    expect(decideVerdict([zeroMajor, generic, atYourCode], coverage)).toMatchObject({ verdict: "breaking", reason: "Option lost fullDescription (this project uses Option)" });
    expect(decideVerdict([zeroMajor], coverage).reason).toBe("0.4.0 → 0.5.0 is a 0.x step");
  });

  it("a failing test run decides, with the strongest confidence", () => {
    const tests: Signal = { analyzer: "tests", rule: "tests/failed", severity: "breaking", message: "the project's tests fail with this bump (npm test)" };
    expect(decideVerdict([atYourCode, tests], coverage)).toEqual({ verdict: "breaking", confidence: 0.95, affectsYou: true, reason: "breaking (tests): the project's tests fail with this bump (npm test)" });
  });

  it("keeps the deterministic affectsYou when Claude has no answer", () => {
    expect(decideVerdict([atYourCode], coverage, { verdict: "breaking", confidence: 0.9, summary: "s", affectsYou: null }, true).affectsYou).toBe(true);
    expect(decideVerdict([atYourCode], coverage, { verdict: "breaking", confidence: 0.9, summary: "s", affectsYou: false }, true).affectsYou).toBe(false);
  });
});
