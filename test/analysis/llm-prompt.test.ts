import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { notesBudgetChars } from "../../src/analysis/llm/context.js";
import { estimateCostUsd, priceOf } from "../../src/analysis/llm/pricing.js";
import { loadPrompts } from "../../src/analysis/llm/prompts.js";
import { createLlmReviewer, type LlmReviewer } from "../../src/analysis/llm/reviewer.js";
import type { ProjectContext } from "../../src/analysis/project-view.js";
import { type JsonCache, openCache } from "../../src/registry/cache.js";
import { diffDeclarations } from "../../src/ecosystems/npm/api/diff.js";
import { npmProjectReading } from "../../src/ecosystems/npm/review.js";
import { applyLlmOutcome, llmContext } from "../../src/review/bump.js";
import type { BumpReview } from "../../src/review-types.js";
import { projectFacts } from "../../src/ecosystems/npm/facts.js";
import { emptyUsage } from "../../src/usage/record.js";
import { scanUsage } from "../../src/ecosystems/npm/usage/index.js";
import { loadRecorded } from "../helpers/api-fixtures.js";
import { type FakeAnthropic, startFakeAnthropic } from "../helpers/fake-anthropic.js";
import { fixturesDir } from "../helpers/fake-registry.js";

let claude: FakeAnthropic;
let reviewer: LlmReviewer;
let cache: JsonCache;
beforeEach(async () => {
  claude = await startFakeAnthropic();
  cache = openCache(await mkdtemp(path.join(os.tmpdir(), "bumpwise-llm-")));
  reviewer = createLlmReviewer({
    client: new Anthropic({ apiKey: "sk-ant-test", baseURL: claude.url, maxRetries: 0 }),
    model: "claude-sonnet-5-5",
    prompts: await loadPrompts(),
    cache,
  });
});
afterEach(() => claude.close());

const app = path.join(fixturesDir, "usage/app");
const reply = (evidence: string) => ({
  json: {
    verdict: "breaking",
    confidence: 0.8,
    summary: "res.redirect no longer accepts 'back'.",
    changes: [{ summary: "'back' is deprecated", severity: "risky", version: "4.21.0", source: "notes", evidence, symbols: ["redirect"], migration: "", affects: "yes", reaches: "src/server.ts:9" }],
    affectsYou: { affected: "yes", reasoning: "src/server.ts redirects back." },
    edits: [],
  },
});

async function project(): Promise<ProjectContext> {
  const facts = projectFacts({
    manifests: new Map([[".", { type: "module", engines: { node: ">=18" }, dependencies: { express: "^4.18.2" }, devDependencies: { "@types/express": "^4.17.17" } }]]),
    inventory: { ecosystem: "npm", manager: "npm", lockfilePath: "package-lock.json", packages: [{ name: "@types/express", version: "4.17.21", direct: true, dev: true, importers: ["."] }] },
    nodeFiles: {},
    typescript: true,
  });
  return { dir: app, facts, usage: await scanUsage(app, ["express"]) };
}

function bump(name: string, notes: string): BumpReview {
  return {
    name, from: "4.20.0", to: "4.21.0", type: "minor", direct: true, dev: false, importers: ["."], versionsInBetween: ["4.21.0"],
    releaseNotes: { versions: [{ version: "4.21.0", body: notes, source: "tarball" }], missing: [] }, notesSources: [], edits: [],
    signals: [{ analyzer: "heuristic", rule: "heuristic/deprecated", severity: "info", message: "something was deprecated", evidence: { quote: "* Deprecate `res.redirect('back')`", version: "4.21.0" } }],
    verdict: { verdict: "safe", confidence: 0.5, affectsYou: null, reason: "", strength: "inferred" },
  };
}

describe("what Claude is shown", () => {
  it("the project's facts, the use sites with file:line, and a small importing file whole; an @types bump gets the usage of its package", async () => {
    claude.script(reply("Deprecate `res.redirect('back')`"));
    await reviewer.review(await llmContext(bump("@types/express", "* Deprecate `res.redirect('back')`"), await project(), npmProjectReading), app);
    const text = claude.requests[0]?.messages[0]?.content ?? "";
    expect(text).toContain("Node.js it supports: >=18 (engines.node)");
    expect(text).toContain("@types/express is a production dependency");
    expect(text).toMatch(/src\/server\.ts:\d+ call json/);
    expect(text).toMatch(/file=src\/routes\/api\.js \(whole file\)\nconst \{ Router \} = require\("express"\);/);
    expect(text).not.toContain("This project does not import the package directly.");
  });

  it("findings are fenced as data, and notes under the budget are sent whole, with no cut", async () => {
    claude.script(reply("Deprecate `res.redirect('back')`"));
    const long = `* Deprecate \`res.redirect('back')\`\n${"- a fix\n".repeat(500)}`;
    await reviewer.review(await llmContext(bump("express", long), await project(), npmProjectReading), app);
    const text = claude.requests[0]?.messages[0]?.content ?? "";
    expect(text).toMatch(/<<<DATA-[0-9a-f]+ findings\n- \[info\] heuristic\/deprecated/);
    expect(text).toContain(long.trim());
    expect(text).not.toContain("were not sent]");
  });

  it("notes over the budget are cut, and every cut says so", async () => {
    claude.script(reply("Deprecate `res.redirect('back')`"));
    const versions = Array.from({ length: 30 }, (_, index) => ({ version: `4.${index + 1}.0`, body: `- change ${index}\n${"x".repeat(3000)}`, source: "tarball" as const }));
    const big = { ...bump("express", ""), versionsInBetween: versions.map((note) => note.version), releaseNotes: { versions, missing: [] } };
    expect(versions.reduce((sum, note) => sum + note.body.length, 0)).toBeGreaterThan(notesBudgetChars);
    await reviewer.review(await llmContext(big, await project(), npmProjectReading), app);
    const text = claude.requests[0]?.messages[0]?.content ?? "";
    expect(text).toMatch(/\n\[… 10\d\d more characters of these notes were not sent\]/);
  });
});

describe("the reply cache and quote checks", () => {
  it("a reply is keyed by the whole prompt: a new finding asks again, the same prompt does not", async () => {
    claude.fallback = () => reply("Deprecate `res.redirect('back')`");
    const context = await project();
    await reviewer.review(await llmContext(bump("express", "* Deprecate `res.redirect('back')`"), context, npmProjectReading), app);
    await cache.flush();
    await reviewer.review(await llmContext(bump("express", "* Deprecate `res.redirect('back')`"), context, npmProjectReading), app);
    expect(claude.requests).toHaveLength(1);
    const withFinding = bump("express", "* Deprecate `res.redirect('back')`");
    withFinding.signals.push({ analyzer: "api-diff", rule: "api/member-removed", severity: "breaking", message: "Response lost redirect" });
    await reviewer.review(await llmContext(withFinding, context, npmProjectReading), app);
    expect(claude.requests).toHaveLength(2);
  });

  it("a quote with its Markdown, bullet and typographic quotes dropped still verifies", async () => {
    claude.script(reply("Deprecate res.redirect(\u2018back\u2019)"));
    const outcome = await reviewer.review(await llmContext(bump("express", "* Deprecate `res.redirect('back')`"), await project(), npmProjectReading), app);
    if (!("ok" in outcome)) throw new Error(outcome.failed);
    expect(outcome.ok.dropped).toEqual([]);
    expect(outcome.ok.signals).toEqual([expect.objectContaining({ analyzer: "llm", severity: "risky", evidence: expect.objectContaining({ version: "4.21.0" }) })]);
  });
});

describe("prompt caching and cost", () => {
  it("the instructions and the reply schema are one cached system block, long enough to be cached", async () => {
    claude.script(reply("Deprecate `res.redirect('back')`"));
    await reviewer.review(await llmContext(bump("express", "* Deprecate `res.redirect('back')`"), await project(), npmProjectReading), app);
    const system = claude.requests[0]?.system as { type: string; text: string; cache_control?: unknown }[];
    expect(system).toHaveLength(1);
    expect(system[0]?.cache_control).toEqual({ type: "ephemeral" });
    expect(system[0]?.text).toContain('"affectsYou"');
    // 1,024 tokens is the smallest prefix Sonnet and Opus cache; English and JSON run about 4 characters a token.
    expect(system[0]?.text.length).toBeGreaterThan(1024 * 4);
  });

  it.each([
    ["claude-opus-4-5", "opus", 5],
    ["claude-sonnet-5-5", "sonnet", 3],
    ["claude-haiku-4-5", "haiku", 1],
    ["some-new-model", "sonnet (assumed)", 3],
  ])("%s is priced as %s", (model, family, input) => {
    expect(priceOf(model)).toMatchObject({ family, input });
    expect(estimateCostUsd({ input: 1_000_000, output: 0, cacheWrite: 0, cacheRead: 1_000_000 }, model)).toBeCloseTo(input * 1.1);
  });
});

describe("quotable type declarations (commander 12.0 → 12.1, recorded)", () => {
  async function typesBump(): Promise<{ review: BumpReview; quote: string }> {
    const pair = "commander@12.0.0..12.1.0";
    const diff = diffDeclarations(await loadRecorded(pair, "from"), await loadRecorded(pair, "to"), { review: false });
    const finding = diff.findings.find((item) => item.rule === "api/member-removed" && item.symbol === "Option");
    const before = finding?.declarations?.before ?? "";
    const quote = before.slice(before.indexOf("fullDescription"), before.indexOf("fullDescription") + 30);
    expect(quote).toMatch(/^fullDescription\(\): string/);
    const review: BumpReview = {
      ...bump("commander", ""),
      from: "12.0.0", to: "12.1.0", versionsInBetween: ["12.1.0"],
      releaseNotes: { versions: [], missing: ["12.1.0"] },
      signals: [],
      apiDiff: diff,
      verdict: { verdict: "unknown", confidence: 0, affectsYou: null, reason: "", strength: "inferred" },
    };
    return { review, quote };
  }
  const usesOption = async (): Promise<ProjectContext> => {
    const base = await project();
    const usage = { ...emptyUsage("commander"), files: [{ file: "src/cli.ts", imports: [] }], uses: new Map([["Option", ["construct" as const]]]), sites: [{ file: "src/cli.ts", line: 3, kind: "construct" as const, symbol: "Option", specifier: "commander", derived: false }] };
    return { ...base, usage: { ...base.usage, packages: new Map([["commander", usage]]) } };
  };
  const typesReply = (evidence: string) => ({
    json: {
      verdict: "breaking", confidence: 0.9, summary: "Option.fullDescription() was removed.",
      changes: [{ summary: "Option lost fullDescription()", severity: "breaking", version: "12.1.0", source: "types", evidence, symbols: ["Option"], migration: "", affects: "yes", reaches: "src/cli.ts:3" }],
      affectsYou: { affected: "yes", reasoning: "The project constructs Option." }, edits: [],
    },
  });

  it("a verbatim quote of the old declaration makes a no-notes bump breaking when the project uses the symbol", async () => {
    const { review, quote } = await typesBump();
    claude.script(typesReply(quote));
    const context = await usesOption();
    const prompt = await llmContext(review, context, npmProjectReading);
    const outcome = await reviewer.review(prompt, app);
    expect(claude.requests[0]?.messages[0]?.content).toMatch(/<<<DATA-[0-9a-f]+ types\nOption \(api\/member-removed\)\nbefore \(12\.0\.0\): /);
    applyLlmOutcome(review, outcome, true);
    expect(review.verdict.verdict).toBe("breaking");
    expect(review.signals).toContainEqual(expect.objectContaining({ analyzer: "llm", severity: "breaking", evidence: expect.objectContaining({ source: "types", quote }) }));
  });

  it("the declarations behind a finding the project reaches through another export are sent, and a quote of them verifies", async () => {
    const { review, quote } = await typesBump();
    // The code builds Commands only; the analyzer judged the Option change risky for it, reached through Command.
    review.signals = [{ analyzer: "api-diff", rule: "api/member-removed", severity: "risky", strength: "inferred", message: "Option lost fullDescription; reached through Command", symbols: ["Option"] }];
    const base = await project();
    const usage = { ...emptyUsage("commander"), files: [{ file: "src/cli.ts", imports: [] }], uses: new Map([["Command", ["construct" as const]]]), sites: [{ file: "src/cli.ts", line: 2, kind: "construct" as const, symbol: "Command", specifier: "commander", derived: false }] };
    const context = { ...base, usage: { ...base.usage, packages: new Map([["commander", usage]]) } };
    claude.script(typesReply(quote));
    const outcome = await reviewer.review(await llmContext(review, context, npmProjectReading), app);
    expect(claude.requests[0]?.messages[0]?.content).toContain("Option (api/member-removed)");
    if (!("ok" in outcome)) throw new Error(outcome.failed);
    expect(outcome.ok.signals).toEqual([expect.objectContaining({ severity: "breaking", evidence: expect.objectContaining({ source: "types", quote }) })]);
  });

  it("a fabricated declaration quote is dropped", async () => {
    const { review } = await typesBump();
    claude.script(typesReply("removeAllTheThings(): never"));
    applyLlmOutcome(review, await reviewer.review(await llmContext(review, await usesOption(), npmProjectReading), app), true);
    expect(review.verdict.verdict).not.toBe("breaking");
    expect(review.llm && "dropped" in review.llm ? review.llm.dropped : []).toEqual(['claim dropped, its quote is not in the type declarations sent: "Option lost fullDescription()"']);
  });
});

describe("manifest quotes and affectsYou", () => {
  it("a quote of the manifest sent verifies; Claude's 'unknown' keeps the deterministic affectsYou", async () => {
    const review: BumpReview = {
      ...bump("express", "* Deprecate `res.redirect('back')`"),
      contract: { from: { version: "4.20.0", engines: { node: ">= 0.10.0" } }, to: { version: "4.21.0", engines: { node: ">= 18" } } },
      verdict: { verdict: "risky", confidence: 0.6, affectsYou: true, reason: "", strength: "inferred" },
    };
    claude.script({
      json: {
        verdict: "breaking", confidence: 0.7, summary: "Node 18 is now required.",
        changes: [{ summary: "engines.node is >= 18", severity: "breaking", version: "4.21.0", source: "manifest", evidence: '"engines":{"node":">= 18"}', symbols: [], migration: "", affects: "unknown", reaches: "" }],
        affectsYou: { affected: "unknown", reasoning: "The project's Node version was not clear." }, edits: [],
      },
    });
    const prompt = await llmContext(review, await project(), npmProjectReading);
    applyLlmOutcome(review, await reviewer.review(prompt, app), true);
    expect(claude.requests[0]?.messages[0]?.content).toContain('4.21.0: {"version":"4.21.0","engines":{"node":">= 18"}}');
    // Verified, but Claude cannot tell whether it reaches this project: information on the row, not a verdict.
    expect(review.signals).toContainEqual(expect.objectContaining({ analyzer: "llm", severity: "info", strength: "inferred", evidence: expect.objectContaining({ source: "manifest" }) }));
    expect(review.verdict).toMatchObject({ affectsYou: true });
    expect(review.verdict.verdict).not.toBe("breaking");
  });
});

describe("the tarball's file changes are quotable as manifest evidence", () => {
  it("are sent with the manifests and a quote of them verifies", async () => {
    const review: BumpReview = {
      ...bump("@sinclair/typebox", ""),
      releaseNotes: { versions: [], missing: ["4.21.0"] },
      contract: { from: { version: "4.20.0" }, to: { version: "4.21.0" } },
      apiDiff: { from: { package: "x", version: "4.20.0" }, to: { package: "x", version: "4.21.0" }, entries: { from: ["."], to: ["."] }, findings: [], stats: { exportsFrom: 1, exportsTo: 1, milliseconds: 1 }, files: { added: [], removed: ["value/cast.js"] } },
    };
    claude.script({
      json: {
        verdict: "risky", confidence: 0.6, summary: "value/cast.js is gone.",
        changes: [{ summary: "the value/cast.js file was removed", severity: "risky", version: "4.21.0", source: "manifest", evidence: "files removed in 4.21.0: value/cast.js", symbols: [], migration: "", affects: "unknown", reaches: "" }],
        affectsYou: { affected: "unknown", reasoning: "" }, edits: [],
      },
    });
    const outcome = await reviewer.review(await llmContext(review, await project(), npmProjectReading), app);
    if (!("ok" in outcome)) throw new Error(outcome.failed);
    expect(outcome.ok.signals).toEqual([expect.objectContaining({ severity: "info", message: "the value/cast.js file was removed (Claude cannot tell whether it reaches this project)", evidence: expect.objectContaining({ source: "manifest" }) })]);
  });
});
