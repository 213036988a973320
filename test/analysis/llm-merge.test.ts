import { describe, expect, it } from "vitest";
import { verifyReply } from "../../src/analysis/llm/verify.js";
import type { LlmReply } from "../../src/analysis/llm/reply.js";
import { decideVerdict } from "../../src/analysis/verdict.js";
import { disagreement } from "../../src/review/bump.js";
import { withStrength } from "../../src/analysis/evidence.js";
import type { Signal } from "../../src/types.js";

// Claude's replies as a careful reviewer writes them, checked against the notes that were "sent".
// Ask per change, merge per project: a verified claim counts only where it reaches a use site or fact sent.

const coverage = { notesRead: true, versions: 2, missing: 0 };
const change = (overrides: Partial<LlmReply["changes"][number]>): LlmReply["changes"][number] => ({
  summary: "s",
  severity: "breaking",
  version: "1.0.0",
  source: "notes",
  evidence: "",
  symbols: [],
  migration: "",
  affects: "yes",
  reaches: "",
  ...overrides,
});
const reply = (overrides: Partial<LlmReply>): LlmReply => ({ verdict: "unknown", confidence: 0.7, summary: "s", changes: [], affectsYou: { affected: "unknown", reasoning: "" }, edits: [], ...overrides });

describe("the node-forge shape: a breaking change in a package the project does not import", () => {
  const notes = new Map([["1.3.0", "## 1.3.0\n- BREAKING: Remove util.getPath, util.setPath and util.deletePath."]]);
  const careful = reply({
    verdict: "safe",
    summary: "node-forge is not imported by the project's code; it comes in through another package.",
    changes: [change({ summary: "util.getPath and friends removed", version: "1.3.0", evidence: "BREAKING: Remove util.getPath, util.setPath and util.deletePath.", symbols: ["util.getPath"], affects: "no" })],
    affectsYou: { affected: "no", reasoning: "no file imports node-forge" },
  });

  it("the verified quote is information on the row, and Claude's 'no' stands against the analyzers' flag as a disagreement", async () => {
    const verified = await verifyReply(careful, { notes, files: [], urls: new Map(), sites: [], facts: [] }, ".");
    expect(verified.signals).toEqual([expect.objectContaining({ severity: "info", strength: "inferred", message: "util.getPath and friends removed (Claude: it does not reach this project)" })]);
    // What the release-note heuristics made of the same line, with no import to tie it to.
    const flagged: Signal = { analyzer: "heuristic", rule: "heuristic/breaking-change", severity: "risky", strength: "inferred", message: "the notes announce a breaking change; the project's code does not import node-forge", evidence: { quote: "BREAKING: Remove util.getPath, util.setPath and util.deletePath.", version: "1.3.0" } };
    const signals = withStrength([flagged, ...verified.signals]);
    const verdict = decideVerdict(signals, coverage, verified);
    expect(verdict.verdict).not.toBe("breaking");
    expect(verdict.reason).not.toContain("util.getPath and friends removed");
    expect(disagreement(verified, [flagged])).toEqual({
      claude: "safe: no file imports node-forge",
      analyzers: "risky (inferred): the notes announce a breaking change; the project's code does not import node-forge",
    });
  });

  it("the same quote claimed to reach a use site that was never sent does not become breaking", async () => {
    const bold = reply({ verdict: "breaking", changes: [change({ version: "1.3.0", evidence: "BREAKING: Remove util.getPath, util.setPath and util.deletePath.", affects: "yes", reaches: "src/made-up.js:4" })] });
    const verified = await verifyReply(bold, { notes, files: [], urls: new Map(), sites: [{ file: "src/tls.js", line: 2 }], facts: [] }, ".");
    expect(verified.signals[0]).toMatchObject({ severity: "breaking", strength: "inferred" });
    expect(decideVerdict(verified.signals, coverage, verified).verdict).toBe("risky");
  });
});

describe("the revert shape: 0.65.2's Content-Type check, undone by 0.65.3", () => {
  const notes = new Map([
    ["0.65.2", "### Security fixes\n* Check Content-Type request header before assuming JSON. PR #2118."],
    ["0.65.3", "### Fixes\n* Allow JSON payloads without a Content-Type header again, reverting the strict check of 0.65.2."],
  ]);
  const sites = [{ file: "app/main.py", line: 15 }];

  it("a change the reviewer says a later version undid does not reach the project: not breaking", async () => {
    const careful = reply({
      verdict: "risky",
      summary: "0.65.2 required the header; 0.65.3 reverted it, so the target accepts the older clients again.",
      changes: [
        change({ summary: "JSON requires a Content-Type header", version: "0.65.2", evidence: "Check Content-Type request header before assuming JSON.", affects: "no", reaches: "" }),
        change({ summary: "the check is reverted", severity: "info", version: "0.65.3", evidence: "Allow JSON payloads without a Content-Type header again", affects: "yes", reaches: "app/main.py:15" }),
      ],
      affectsYou: { affected: "no", reasoning: "the target version accepts JSON without the header" },
    });
    const verified = await verifyReply(careful, { notes, files: [], urls: new Map(), sites, facts: [] }, ".");
    expect(verified.signals.map((signal) => signal.severity)).toEqual(["info", "info"]);
    expect(decideVerdict(verified.signals, { notesRead: true, versions: 2, missing: 0 }, verified).verdict).not.toBe("breaking");
  });

  it("the same check reaching the use site is a quote tied to it, and breaking", async () => {
    const strict = reply({ verdict: "breaking", changes: [change({ summary: "JSON requires a Content-Type header", version: "0.65.2", evidence: "Check Content-Type request header before assuming JSON.", affects: "yes", reaches: "app/main.py:15 call FastAPI.post" })] });
    const verified = await verifyReply(strict, { notes: new Map([["0.65.2", notes.get("0.65.2")!]]), files: [], urls: new Map(), sites, facts: [] }, ".");
    expect(verified.signals[0]).toMatchObject({ severity: "breaking", strength: "quoted", touches: [{ file: "app/main.py", line: 15 }] });
    expect(decideVerdict(verified.signals, { notesRead: true, versions: 1, missing: 0 }, verified)).toMatchObject({ verdict: "breaking", strength: "quoted" });
  });

  it("a change that reaches a declared fact as sent counts, quoted", async () => {
    const floor = reply({ changes: [change({ summary: "Python 3.8 dropped", version: "0.65.2", evidence: "Check Content-Type request header before assuming JSON.", affects: "yes", reaches: "Python it supports: >=3.8" })] });
    const verified = await verifyReply(floor, { notes, files: [], urls: new Map(), sites, facts: ["Python it supports: >=3.8 (requires-python in pyproject.toml)"] }, ".");
    expect(verified.signals[0]).toMatchObject({ severity: "breaking", strength: "quoted", fact: "Python it supports: >=3.8 (requires-python in pyproject.toml)" });
  });
});
