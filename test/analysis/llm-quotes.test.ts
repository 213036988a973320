import { describe, expect, it } from "vitest";
import { condenseNotes, flaggedExcerpt } from "../../src/analysis/llm/condense.js";
import { trimNotes } from "../../src/analysis/llm/context.js";
import type { LlmReply } from "../../src/analysis/llm/reply.js";
import { verifyReply } from "../../src/analysis/llm/verify.js";

// Release notes shaped as GitHub writes them (axios-style), condensed before they are sent.
const github = [
  "## What's Changed",
  "* fix(headers): drop undefined header values ([#6539](https://github.com/axios/axios/issues/6539)) ([1c7f4b3](https://github.com/axios/axios/commit/1c7f4b3a9e))",
  "* feat!: combine baseURL and absolute request URLs unless allowAbsoluteUrls is set by @jasonsaayman in https://github.com/axios/axios/pull/6814",
  "",
  "## New Contributors",
  "* @someone made their first contribution in https://github.com/axios/axios/pull/6800",
  "* @other made their first contribution in https://github.com/axios/axios/pull/6801",
  "",
  '<img src="https://avatars.githubusercontent.com/u/1?v=4" width="18">',
  "**Full Changelog**: https://github.com/axios/axios/compare/v1.7.9...v1.8.0",
].join("\n");

const notes = new Map([["1.8.0", condenseNotes(github)]]);
const claim = (evidence: string): LlmReply => ({
  verdict: "risky",
  confidence: 0.7,
  summary: "s",
  changes: [{ summary: "URLs combine", severity: "risky", version: "1.8.0", source: "notes", evidence, symbols: [], migration: "", affects: "unknown", reaches: "" }],
  affectsYou: { affected: "unknown", reasoning: "" },
  edits: [],
});
const verifies = async (evidence: string) => (await verifyReply(claim(evidence), { notes, files: [], urls: new Map() }, ".")).signals.length === 1;

describe("notes are condensed before they are sent", () => {
  it("contributor sections, avatars, full-changelog lines and link markup go; what changed stays", () => {
    const sent = notes.get("1.8.0")!;
    expect(sent).not.toMatch(/New Contributors|made their first contribution|avatars|Full Changelog|\]\(|1c7f4b3|@jasonsaayman/);
    expect(sent).toContain("fix(headers): drop undefined header values (#6539)");
    expect(sent).toContain("feat!: combine baseURL and absolute request URLs unless allowAbsoluteUrls is set");
  });

  it("a flagged version too long to send whole is sent as its flagged lines with context, not left out", () => {
    const long = Array.from({ length: 2000 }, (_, index) => `- routine change number ${index} with some words to make it long`).join("\n");
    const body = `${long}\n## Breaking Changes\n- removed the legacy adapter\n${long}`;
    const flagged = { analyzer: "heuristic" as const, rule: "heuristic/breaking-change", severity: "breaking" as const, message: "m", evidence: { quote: "## Breaking Changes", version: "2.0.0" } };
    const { kept, omitted } = trimNotes([{ version: "2.0.0", body, source: "tarball" }], [flagged]);
    expect(omitted).toEqual([]);
    expect(kept[0]?.body).toContain("- removed the legacy adapter");
    expect(kept[0]?.body).toContain("only the flagged lines of these notes were sent");
    expect(flaggedExcerpt("a\nb\nc\nd\ne\nf\ng", ["d"], 1)).toBe("[…]\nc\nd\ne\n[…]");
  });
});

describe("quote matching accepts what models write, and nothing more", () => {
  it.each([
    ["the quote as the notes had it, with its link markup", "fix(headers): drop undefined header values ([#6539](https://github.com/axios/axios/issues/6539))"],
    ["a trailing period the notes lack", "combine baseURL and absolute request URLs unless allowAbsoluteUrls is set."],
    ["a first letter whose case changed", "Combine baseURL and absolute request URLs"],
    ["an ellipsis joining two parts of the same version's notes, in order", "fix(headers): drop undefined header values … combine baseURL and absolute request URLs"],
  ])("%s verifies", async (_, evidence) => {
    expect(await verifies(evidence)).toBe(true);
  });

  it.each([
    ["a fabricated quote in link markup", "drop all header values ([#6539](https://github.com/axios/axios/issues/6539))"],
    ["a changed word before the trailing period", "combine baseURL and relative request URLs unless allowAbsoluteUrls is set."],
    ["a case change inside the quote", "combine BaseURL and absolute request URLs"],
    ["an ellipsis joining parts in the wrong order", "combine baseURL and absolute request URLs … fix(headers): drop undefined header values"],
    ["an ellipsis joining a real part to a made-up one", "fix(headers): drop undefined header values … and removes the fetch adapter"],
    ["an ellipsis around fragments too short to mean anything", "fix … URLs"],
  ])("%s does not", async (_, evidence) => {
    expect(await verifies(evidence)).toBe(false);
  });
});
