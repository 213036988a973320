import { describe, expect, it } from "vitest";
import { escapeHtml, escapeMarkdown, fencedText, inlineCode } from "../../src/report/escape.js";
import { markdownBudget, renderMarkdown } from "../../src/report/markdown.js";
import type { Review } from "../../src/review-types.js";
import { bump, review } from "../helpers/review.js";
import { readPullRequestBody } from "../helpers/pr-body.js";

describe("untrusted text is inert in the report", () => {
  const hostile =
    '@octocat see other/repo#12 <img src="https://evil.example/x.png"> ![x](https://evil.example/y.png) <script>alert(1)</script>';

  it("escapeMarkdown defuses mentions, cross-links, HTML and images", () => {
    const safe = escapeMarkdown(hostile);
    expect(safe).not.toMatch(/@octocat/);
    expect(safe).not.toMatch(/#12/);
    expect(safe).not.toMatch(/<img|<script/);
    expect(safe).not.toMatch(/!\[/);
    expect(safe).not.toMatch(/https:\/\//);
  });

  it("inlineCode cannot be closed early by backticks", () => {
    expect(inlineCode("a ` b")).toBe("``a ` b``");
    expect(inlineCode("`x`")).toBe("`` `x` ``");
  });

  it("escapeHtml for <summary> content", () => {
    expect(escapeHtml("@scope/<b>")).toBe("&#64;scope/&lt;b&gt;");
  });

  it("the rendered report carries no live mention, tag or image", () => {
    const markdown = renderMarkdown(review([bump("evil-pkg", hostile)]));
    expect(markdown).toContain("evil-pkg");
    expect(markdown).toContain(inlineCode(hostile));
    // Inside code spans GitHub renders text literally: no mention, tag or image there.
    const outsideCode = markdown.replace(/(`+)[\s\S]*?\1/g, "");
    expect(outsideCode).not.toMatch(/@octocat/);
    expect(outsideCode).not.toMatch(/<img|<script/);
    expect(outsideCode).not.toMatch(/!\[x\]\(/);
  });
});

describe("release notes in the report", () => {
  it("render as sanitised Markdown: headings, lists and https links kept; mentions, cross-links, HTML and images inert; code re-fenced", () => {
    const notes = [
      "## 2.1.0",
      "### Breaking Changes",
      "- Removed `createServer()` (#123, thanks @octocat) ([docs](https://example.com/migrate))",
      "* see other/repo#1 and <img src=x onerror=alert(1)> ![logo](https://evil.example/x.png)",
      "1) [click](javascript:alert(1))",
      "```js",
      "</details><script>alert(1)</script>",
      "```",
      "```",
      "an unclosed fence swallows nothing after the notes",
    ].join("\n");
    const markdown = renderMarkdown(review([bump("pkg", notes)]));
    const start = markdown.indexOf("<summary>1.1.0 — tarball</summary>");
    const body = markdown.slice(start, markdown.indexOf("\n\n</details>", start));
    expect(body).toContain("##### 2.1.0");
    expect(body).toContain("###### Breaking Changes");
    expect(body).toContain("- Removed `createServer()` \\(\\#\u200b123, thanks @\u200boctocat\\) \\([docs](https://example.com/migrate)\\)");
    expect(body).toContain("* see other/repo\\#\u200b1 and &lt;img src=x onerror=alert\\(1\\)&gt; logo");
    expect(body).toContain("1. click");
    expect(body).toContain("```\n</details><script>alert(1)</script>\n```");
    expect(body).toContain("```\nan unclosed fence swallows nothing after the notes\n```");
    const parsed = readPullRequestBody(markdown);
    expect(parsed.links).toEqual(["https://example.com/migrate"]);
    expect(markdown).toContain("- Release notes: 1 of 1 version (tarball: 1)");
  });

  it("fencedText fences a block that holds fences of its own", () => {
    const block = fencedText("a\n```\nb\n```");
    expect(block.startsWith("````text\n")).toBe(true);
    expect(block.endsWith("\n````")).toBe(true);
  });
});

describe("size", () => {
  it("stays under the PR body budget by leaving details out, and says so", () => {
    const many = Array.from({ length: 2000 }, (_, i) => bump(`package-${i}`, "x".repeat(400)));
    const markdown = renderMarkdown(review(many));
    expect(markdown.length).toBeLessThanOrEqual(markdownBudget);
    expect(markdown).toMatch(/more rows \(safe and unknown bumps last\) are in report\.json/);
    expect(markdown).toMatch(/Left out to stay under GitHub's 65,536-character PR body limit \(all of it is in report\.json\): the details of \d+ safe or unknown bump\(s\)/);
  });

  it("shows every bump when it fits", () => {
    const markdown = renderMarkdown(review([bump("a", "one"), bump("b", "two")]));
    expect(markdown).toContain("| `a` | 1.0.0 → 1.1.0 (minor) | ⚪ unknown | ? | one |");
    expect(markdown).toContain("<details><summary><b>b</b> 1.0.0 → 1.1.0 (minor, unknown)</summary>");
    expect(markdown).not.toMatch(/left out/);
  });
});

describe("report.md as the PR body of a branch, read with a Markdown parser", () => {
  const hostile = 'Thanks @octocat! <img src="https://evil.example/x.png"> <a href="x">link</a> other/repo#12';
  const withBranch = (): Review => {
    const reviewed = review([bump("kept", hostile), bump("left-off", hostile), { ...bump("pinned", "fine"), dev: true }]);
    reviewed.bumps[1]!.verdict = { verdict: "breaking", confidence: 1, affectsYou: true, reason: `breaking: ${hostile}`, strength: "fact" };
    reviewed.bumps[2]!.declared = [{ importer: ".", range: "1.0.0", dev: true, exactPin: true, leavesRange: true }];
    reviewed.branch = {
      name: "deps",
      applied: [{ name: "kept", from: "1.0.0", to: "1.1.0" }],
      skipped: [
        { name: "left-off", reason: "breaking, and no validated edits to adapt the code (use --apply all to take it anyway)" },
        { name: "pinned", reason: "package.json pins it at exactly 1.0.0; the pin stays (use --apply all to lift it)" },
      ],
      moved: [],
      tool: "npm",
    };
    return reviewed;
  };

  it("says first what the branch holds and what it leaves off with the reason; no foreign HTML, no live mention, at most five columns", () => {
    const markdown = renderMarkdown(withBranch());
    const body = readPullRequestBody(markdown);
    expect(body.inThisPr).toEqual(["kept 1.0.0 → 1.1.0"]);
    expect(body.notInThisPr).toEqual([
      "left-off@1.0.0 → 1.1.0: breaking, and no validated edits to adapt the code (use --apply all to take it anyway)",
      "pinned@1.0.0 → 1.1.0: package.json pins it at exactly 1.0.0; the pin stays (use --apply all to lift it)",
    ]);
    expect(markdown.indexOf("## In this PR")).toBeLessThan(markdown.indexOf("| Package |"));
    expect(body.foreignHtml).toEqual([]);
    expect(body.liveMentions).toEqual([]);
    expect(body.maxColumns).toBe(5);
    expect(markdown).toContain("| `pinned` (dev) | 1.0.0 → 1.1.0 (minor) | ⚪ unknown | ? | **lifts exact pin 1.0.0**: fine |");
  });

  it("the parser does see raw HTML and mentions when they are not escaped (the check can fail)", () => {
    const body = readPullRequestBody(`Thanks @octocat\n\n<img src=x>\n\n| a | b | c | d | e | f |\n|---|---|---|---|---|---|\n| 1 | 2 | 3 | 4 | 5 | 6 |\n`);
    expect(body.liveMentions).toHaveLength(1);
    expect(body.foreignHtml).toEqual(["<img src=x>"]);
    expect(body.maxColumns).toBe(6);
  });
});

describe("majors", () => {
  it("report.md and report.html list the newer majors the review did not cover", async () => {
    const { renderHtml } = await import("../../src/report/html.js");
    const reviewed = { ...review([bump("a", "one")]), majors: [{ name: "express", from: "4.18.2", latest: "5.1.0" }] };
    const markdown = renderMarkdown(reviewed);
    expect(markdown).toContain("## Also available (major, not reviewed)\n\n| Package | Locked | Newest major |\n|---|---|---|\n| `express` | 4.18.2 | 5.1.0 |");
    expect(readPullRequestBody(markdown).maxColumns).toBe(5);
    expect(renderHtml(reviewed)).toContain("<h2 id=\"majors\">Also available (major, not reviewed)</h2>");
    expect(renderHtml(reviewed)).toContain("<tr><td>express</td><td>4.18.2</td><td>5.1.0</td></tr>");
    expect(renderMarkdown(review([bump("a", "one")]))).not.toContain("Also available");
  });
});

describe("report.md read elsewhere", () => {
  it("has no absolute path of the machine it ran on, and name@version sits in a code span (no zero-width space)", () => {
    const reviewed = review([bump("a", "installed eslint@7.32.0 is outside; see /home/ci/work/my_app/src/x.ts")]);
    reviewed.project.dir = "/home/ci/work/my_app";
    reviewed.errors = [{ package: "b", code: "unexpected", message: "cannot read /home/ci/work/my_app/package.json" }];
    const markdown = renderMarkdown(reviewed);
    expect(markdown).not.toContain("/home/ci");
    expect(markdown).toContain("cannot read package.json");
    expect(markdown).toContain("`eslint@7.32.0`");
    expect(markdown).not.toMatch(/eslint@\u200b/);
  });
});

describe("under GitHub's 65,536-character cap", () => {
  it("the notes of safe rows go first; a breaking row keeps its evidence and its notes", () => {
    const safe = Array.from({ length: 60 }, (_, i) => {
      const row = bump(`safe-${i}`, "fine");
      row.verdict = { verdict: "safe", confidence: 1, affectsYou: false, reason: "no signal", strength: "inferred" };
      row.releaseNotes = { versions: [{ version: "1.1.0", body: "s".repeat(1400), source: "tarball" }], missing: [] };
      return row;
    });
    const breaking = bump("broken", "removed createServer");
    breaking.verdict = { verdict: "breaking", confidence: 1, affectsYou: true, reason: "removed createServer", strength: "quoted" };
    breaking.signals = [{ analyzer: "llm", rule: "llm/removed-api", severity: "breaking", message: "createServer was removed", evidence: { quote: "Removed createServer", version: "1.1.0" }, strength: "quoted" }];
    breaking.releaseNotes = { versions: [{ version: "1.1.0", body: "Removed createServer", source: "tarball" }], missing: [] };
    const markdown = renderMarkdown(review([...safe, breaking]));
    expect(markdown.length).toBeLessThanOrEqual(markdownBudget);
    expect(markdown).toContain("`Removed createServer` (1.1.0)");
    expect(markdown).toContain("<summary>1.1.0 — tarball</summary>\n\nRemoved createServer\n");
    expect(markdown.split("s".repeat(1400)).length - 1).toBeLessThan(60);
    expect(readPullRequestBody(markdown).maxColumns).toBe(5);
  });
});
