import { describe, expect, it } from "vitest";
import { renderMovedSection } from "../../src/report/markdown.js";
import type { Inventory } from "../../src/types.js";
import { describeMove, movedBesides } from "../../src/upgrade/branch.js";

const inventory = (packages: [string, string][]): Inventory => ({
  ecosystem: "pypi",
  manager: "uv",
  lockfilePath: "uv.lock",
  packages: packages.map(([name, version]) => ({ name, version, direct: false, dev: false, importers: [] })),
});

describe("what else the resolver moved", () => {
  // fastapi 0.115 → 0.128 as uv locks it: starlette follows, a dependency is added, one dropped, numpy locked twice.
  const before = inventory([["fastapi", "0.115.0"], ["starlette", "0.38.6"], ["idna", "3.10"], ["sniffio", "1.3.1"], ["numpy", "1.26.4"], ["numpy", "2.0.2"]]);
  const after = inventory([["fastapi", "0.128.8"], ["starlette", "0.49.1"], ["idna", "3.10"], ["annotated-doc", "0.0.4"], ["numpy", "2.0.2"], ["numpy", "1.26.4"]]);

  it("lists every other package whose locked versions changed, added or removed, and not the targets or the unchanged", () => {
    const moved = movedBesides(before, after, new Map([["fastapi", "0.128.8"]]));
    expect(moved).toEqual([{ name: "annotated-doc", to: "0.0.4" }, { name: "sniffio", from: "1.3.1" }, { name: "starlette", from: "0.38.6", to: "0.49.1" }]);
    expect(moved.map(describeMove)).toEqual(["- annotated-doc (added) 0.0.4", "- sniffio 1.3.1 (removed)", "- starlette 0.38.6 → 0.49.1"]);
  });

  it("renders a table for the pull request, names escaped; nothing when nothing else moved", () => {
    const section = renderMovedSection("uv", [{ name: "starlette", from: "0.38.6", to: "0.49.1" }, { name: "evil|<b>", to: "1.0" }]);
    expect(section).toContain("## Also moved by the resolver\n\nTo lock the versions above, uv also changed:");
    expect(section).toContain("| starlette | 0.38.6 | 0.49.1 |");
    expect(section).not.toContain("evil|<b>");
    expect(renderMovedSection("uv", [])).toBe("");
  });
});
