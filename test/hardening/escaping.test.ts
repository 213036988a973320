import { fromMarkdown } from "mdast-util-from-markdown";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/report/markdown.js";
import type { BumpReview, Review } from "../../src/review-types.js";

// Pieces that have broken Markdown escaping somewhere: mentions, cross-links, HTML, images, links,
// fences, table pipes, and every kind of line ending and control character.
const pieces = [
  "@octocat", "#1234", "other/repo#12", "<img src=x onerror=alert(1)>", "</details>", "<summary>", "<script>alert(1)</script>", "`", "```",
  "~~~", "\r", "\r\n", "\n", "\u2028", "\u2029", "\u0085", "\u001b[31m", "\u0007", "![x](https://evil.example/x.png)", "[click](javascript:alert(1))",
  "|", "*", "_", "> ", "<!--", "&lt;", "https://evil.example", "\\", "- ", "# ", "<", ">", "plain words ", "[docs](https://example.com/docs)",
  "[x](https://a.example/)\"title\")", "[a](http://plain.example)",
];

// A small seeded generator (mulberry32): the same hostile strings on every run, many shapes of them.
function generator(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Array.from({ length: 1 + Math.floor(next() * 8) }, () => pieces[Math.floor(next() * pieces.length)]).join("");
}

function hostileReview(text: () => string): Review {
  const bump: BumpReview = {
    name: "evil-pkg", from: "1.0.0", to: "1.1.0", type: "minor", direct: true, dev: false, importers: ["."], versionsInBetween: ["1.1.0"],
    releaseNotes: { versions: [{ version: "1.1.0", body: text(), source: "tarball" }], missing: [] },
    notesSources: [{ source: "github-release", outcome: "error", detail: text(), versions: [] }],
    signals: [{ analyzer: "heuristic", rule: "heuristic/removed", severity: "risky", message: text(), fact: text(), evidence: { quote: text(), version: "1.1.0" } }],
    verdict: { verdict: "risky", confidence: 0.6, affectsYou: true, reason: text(), strength: "inferred" },
    edits: [{ file: "src/a.ts", search: text(), replace: text(), reason: text() }],
    llm: { verdict: "risky", confidence: 0.5, summary: text(), affectsYouReasoning: text(), dropped: [text()], cached: false },
    publishedAt: text(),
    declared: [{ importer: ".", range: text(), dev: false, exactPin: false, leavesRange: true }],
    usedBy: { files: [text()], sites: 1 },
  };
  return {
    schemaVersion: 1, tool: { name: "bumpwise", version: "0.1.0" }, generatedAt: "2026-12-02T00:00:00.000Z",
    project: { dir: "/p", lockfile: "package-lock.json", manager: "npm", ecosystem: "npm", facts: { runtime: text(), node: text(), type: "module", language: "typescript", sourceFiles: 1, notes: [text()] } },
    options: { target: "minor", all: false, include: [], exclude: [], minAgeDays: 0, offline: false },
    llm: { used: false, note: "off", calls: 0, cachedReplies: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, estimatedCostUsd: 0 },
    notes: { read: true, bumpsWithAllNotes: 1, versionsBySource: {}, note: text() },
    summary: { packages: 1, directPackages: 1, checked: 1, answered: 1, bumps: 1, breaking: 0, risky: 1, safe: 0, unknown: 0, heldBack: 1, errors: 1 },
    bumps: [bump],
    heldBack: [{ name: "held", from: "1.0.0", newest: "1.2.0", reason: text() }],
    errors: [{ package: "broken", code: "invalid", message: text() }],
    registry: { downloaded: 0, revalidated: 0, fromCache: 0 },
    verify: { command: text(), outcome: "failed", runs: 2, detail: text() },
  };
}

type Node = { type: string; value?: string; url?: string; position?: { start: { offset?: number } }; children?: Node[] };
const walk = (node: Node, visit: (node: Node) => void): void => {
  visit(node);
  for (const child of node.children ?? []) walk(child, visit);
};

describe("no hostile string escapes the report.md renderer (seeded, 300 reports)", () => {
  it("parses to no foreign HTML, image, live mention or control character; a link only as the notes wrote it, to https", () => {
    const text = generator(20261202);
    let links = 0;
    for (let round = 0; round < 300; round++) {
      const markdown = renderMarkdown(hostileReview(text));
      expect(markdown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
      const notes = { start: markdown.indexOf("<summary>1.1.0 — tarball</summary>"), end: markdown.indexOf("</details>", markdown.indexOf("<summary>1.1.0 — tarball</summary>")) };
      walk(fromMarkdown(markdown), (node) => {
        if (node.type === "image" || node.type === "definition") throw new Error(`round ${round}: a ${node.type} escaped:\n${markdown}`);
        if (node.type === "link") {
          links++;
          const at = node.position?.start.offset ?? -1;
          if (!node.url?.startsWith("https://") || at < notes.start || at > notes.end) throw new Error(`round ${round}: a link outside the notes or not https: ${node.url}\n${markdown}`);
          walk(node, (inner) => {
            if (inner.type === "image") throw new Error(`round ${round}: an image inside a link`);
          });
        }
        if (node.type === "html" && !/^<\/?(details|summary|b)>/.test(node.value ?? "")) throw new Error(`round ${round}: raw HTML escaped: ${node.value}`);
        if (node.type === "html" && /<(img|script|a |iframe)/i.test(node.value ?? "")) throw new Error(`round ${round}: raw HTML escaped: ${node.value}`);
        if (node.type === "text" && /@octocat|#1234|repo#12/.test(node.value ?? "")) throw new Error(`round ${round}: a live mention or cross-link: ${node.value}`);
      });
    }
    // The notes' https links were kept (and checked above), not all escaped away.
    expect(links).toBeGreaterThan(0);
  });
});
