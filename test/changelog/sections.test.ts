import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { extractSections, headingVersion, splitSections } from "../../src/changelog/sections.js";
import { pep440Versioning } from "../../src/ecosystems/pypi/versioning.js";
import { fixturesDir } from "../helpers/fake-registry.js";

interface Case {
  file: string;
  style: string;
  wanted: string[];
  found: string[];
}

const cases = JSON.parse(readFileSync(path.join(fixturesDir, "changelogs/cases.json"), "utf8")) as Case[];

describe("real changelogs (fixtures/changelogs)", () => {
  it("has at least 20 files of different styles", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    expect(new Set(cases.map((c) => c.style)).size).toBeGreaterThanOrEqual(15);
  });

  it.each(cases)("$file ($style)", ({ file, wanted, found }) => {
    const content = readFileSync(path.join(fixturesDir, "changelogs", file), "utf8");
    const result = extractSections(content, wanted);
    expect(result.found.map((section) => section.version)).toEqual(found);
    expect(result.missing).toEqual(wanted.filter((version) => !found.includes(version)));
    const allVersions = [...splitSections(content).keys()];
    for (const section of result.found) {
      expect(section.body.length).toBeGreaterThan(0);
      expect(content).toContain(section.body);
      // A section never swallows the next version's heading.
      for (const other of allVersions.filter((version) => version !== section.version)) {
        expect(section.body).not.toMatch(new RegExp(`^(#+\\s*)?\\[?v?${other.replace(/\./g, "\\.")}\\]?(\\s|$)`, "m"));
      }
    }
  });
});

describe("headingVersion", () => {
  it.each([
    ["1.2.3", "1.2.3"],
    ["v1.2.3", "1.2.3"],
    ["[1.2.3] - 2024-01-01", "1.2.3"],
    ["1.2.3 / 2024-01-01", "1.2.3"],
    ["pkg@1.2.3", "1.2.3"],
    ["@scope/pkg@1.2.3", "1.2.3"],
    ["Version 2.0.0-beta.1", "2.0.0-beta.1"],
    ["**6.13.0**", "6.13.0"],
    ["1.2.30", "1.2.30"],
    ["11.2.3 (2024-01-01)", "11.2.3"],
  ])("%s → %s", (text, version) => {
    expect(headingVersion(text)).toBe(version);
  });

  it.each(["Unreleased", "2024-01-01", "Breaking changes in 2.0.0", "Patch Changes", "1.2.3.4", "Features"])("%s → none", (text) => {
    expect(headingVersion(text)).toBeUndefined();
  });
});

describe("extractSections", () => {
  it("matches version tokens exactly: 1.2.3 is not 1.2.30 or 11.2.3", () => {
    const changelog = "## 11.2.3\n\neleven\n\n## 1.2.30\n\nthirty\n\n## 1.2.3\n\nthree\n";
    const { found, missing } = extractSections(changelog, ["1.2.3", "1.2.4"]);
    expect(found).toEqual([{ version: "1.2.3", heading: "1.2.3", body: "three" }]);
    expect(missing).toEqual(["1.2.4"]);
  });

  it("reads oldest-first files and ignores Unreleased", () => {
    const changelog = "# Changelog\n\n## 1.0.0\n\nfirst\n\n## 1.1.0\n\nsecond\n\n## Unreleased\n\nlater\n";
    expect(extractSections(changelog, ["1.1.0"]).found[0]?.body).toBe("second");
    expect([...splitSections(changelog).keys()]).toEqual(["1.0.0", "1.1.0"]);
  });

  it("keeps changesets subheadings inside the version section", () => {
    const changelog = "# pkg\n\n## 2.1.0\n\n### Minor Changes\n\n- added x\n\n### Patch Changes\n\n- fixed y\n\n## 2.0.1\n\n- z\n";
    expect(extractSections(changelog, ["2.1.0"]).found[0]?.body).toBe("### Minor Changes\n\n- added x\n\n### Patch Changes\n\n- fixed y");
  });

  it("reads plain-text and reStructuredText changelogs", () => {
    const rst = "Changes\n=======\n\n2.1.0 (2024-02-01)\n------------------\n\n* New thing\n\n2.0.0 (2024-01-01)\n------------------\n\n* Old thing\n";
    expect(extractSections(rst, ["2.1.0"]).found[0]?.body).toBe("* New thing");
    const text = "v3.1.0\n  - faster\nv3.0.0\n  - rewrite\n";
    expect(extractSections(text, ["3.1.0", "3.0.0"]).found.map((s) => s.body)).toEqual(["- faster", "- rewrite"]);
  });
});

describe("reStructuredText changelogs (SQLAlchemy's `.. changelog::` blocks)", () => {
  it("a `:version:` field opens a section, the directive before it belongs to it", () => {
    const rst = [
      ".. changelog::",
      "    :version: 2.0.4",
      "    :released: February 17, 2023",
      "",
      "    .. change::",
      "        :tags: bug, orm",
      "",
      "        Fixed regression where a DML statement would fail.",
      "",
      ".. changelog::",
      "    :version: 2.0.3",
      "    :released: February 9, 2023",
      "",
      "    .. change::",
      "        Fixed critical regression in SQL expression formulation.",
      "",
    ].join("\n");
    const { found } = extractSections(rst, ["2.0.3", "2.0.4"], pep440Versioning);
    expect(found.map((section) => section.version)).toEqual(["2.0.3", "2.0.4"]);
    expect(found[1]?.body).not.toContain(".. changelog::");
    expect(found[0]?.body).toContain("Fixed critical regression");
  });

  it("PEP 440 headings: two-part versions and a `v` prefix", () => {
    const { found, missing } = extractSections("## v2.0 (2024-01-01)\n\n- a\n\n## 1.9.post1\n\n- b\n", ["1.9.post1", "2.0", "2.1"], pep440Versioning);
    expect(found.map((section) => section.version)).toEqual(["1.9.post1", "2.0"]);
    expect(missing).toEqual(["2.1"]);
  });
});

describe("reStructuredText titles (format \"rst\")", () => {
  const rst = [
    "=========",
    "Changelog",
    "=========",
    "",
    "Version 2.0.1",
    "-------------",
    "",
    "Released 2024-01-02",
    "",
    "-   fixed a",
    "",
    "Bug fixes",
    "~~~~~~~~~",
    "",
    "-   fixed b",
    "",
    "v2.0 - 2023-12-01",
    "-----------------",
    "",
    "-   new c",
    "",
    "1.9.1 (2023-11-01)",
    "------------------",
    "",
    "    1.9.0",
    "    -----",
    "    (indented: a literal block, not a title)",
    "",
    "=====",
    "1.9.0",
    "=====",
    "",
    "-   first",
  ].join("\n");

  it("reads underlined and overlined titles with `Version`, a `v`, a date after, each style its own level", () => {
    const { found, missing } = extractSections(rst, ["1.9.0", "1.9.1", "2.0", "2.0.1", "2.0.2"], pep440Versioning, "rst");
    expect(found.map((section) => [section.version, section.heading])).toEqual([
      ["1.9.0", "1.9.0"],
      ["1.9.1", "1.9.1 (2023-11-01)"],
      ["2.0", "v2.0 - 2023-12-01"],
      ["2.0.1", "Version 2.0.1"],
    ]);
    expect(missing).toEqual(["2.0.2"]);
    // "Bug fixes" (~~~, a level below ---) stays inside 2.0.1; the overline of 1.9.0 is not 1.9.1's text.
    expect(found[3]?.body).toBe("Released 2024-01-02\n\n-   fixed a\n\nBug fixes\n~~~~~~~~~\n\n-   fixed b");
    expect(found[1]?.body).toBe("1.9.0\n    -----\n    (indented: a literal block, not a title)");
    expect(found[0]?.body).toBe("-   first");
  });

  it("a version alone on a line between blank lines is a heading too (PyYAML's CHANGES underlines only its older releases)", () => {
    const changes = "For a complete changelog, see:\n\n6.0.3 (2025-09-25)\n\n* pull/864 -- Python 3.14\n\n6.0.2 (2024-08-06)\n\n* pull/808 -- Cython 3\n\n5.2 (2019-12-02)\n------------------\n\n* pull/163\n6.0.1 is not alone here\n";
    const { found } = extractSections(changes, ["5.2", "6.0.2", "6.0.3"], pep440Versioning, "rst");
    expect(found.map((section) => [section.version, section.body])).toEqual([
      ["5.2", "* pull/163\n6.0.1 is not alone here"],
      ["6.0.2", "* pull/808 -- Cython 3"],
      ["6.0.3", "* pull/864 -- Python 3.14"],
    ]);
  });

  it("PEP 440 reads 2.3 and 2.3.0 as one release (Flask titles `Version 2.3.0`, PyPI lists 2.3)", () => {
    const { found } = extractSections("Version 2.3.0\n-------------\n\n-   a\n", ["2.3"], pep440Versioning, "rst");
    expect(found).toMatchObject([{ version: "2.3", body: "-   a" }]);
  });
});

describe("the heading scan (CommonMark, no syntax tree)", () => {
  it("reads ATX and setext headings, and none inside fences, lists or block quotes", () => {
    const changelog = [
      "# Changelog",
      "",
      "```md",
      "## 9.9.9",
      "```",
      "",
      "2.1.0",
      "=====",
      "",
      "- a list item",
      "---",
      "",
      "> ## 8.8.8",
      "",
      "## [2.0.0] - 2024-01-02 ##",
      "",
      "* Fixed: `parse()` on **empty** input",
      "",
      "[2.0.0]: https://example.com/compare/v1...v2",
      "",
    ].join("\r\n");
    const sections = splitSections(changelog);
    expect([...sections.keys()]).toEqual(["2.1.0", "2.0.0"]);
    expect(sections.get("2.0.0")).toMatchObject({ heading: "2.0.0 - 2024-01-02", body: expect.stringContaining("Fixed: `parse()` on **empty** input") });
    expect(sections.get("2.1.0")?.body).toContain("a list item");
  });
});
