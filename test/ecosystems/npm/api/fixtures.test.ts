import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolvedFor } from "../../../../src/ecosystems/npm/api/declarations.js";
import { diffDeclarations } from "../../../../src/ecosystems/npm/api/diff.js";
import { unchangedDiff } from "../../../../src/ecosystems/npm/api/index.js";
import { apiSummary } from "../../../../src/report/api.js";
import type { ApiDiff } from "../../../../src/analysis/api-diff.js";
import { apiFixtures, loadRecorded } from "../../../helpers/api-fixtures.js";

const cases = JSON.parse(await readFile(path.join(apiFixtures, "cases.json"), "utf8")) as { break: Record<string, [string, string][]>; noBreak: string[] };

async function diff(pair: string) {
  return diffDeclarations(await loadRecorded(pair, "from"), await loadRecorded(pair, "to"), { review: true });
}

describe("API diff on recorded real releases", () => {
  it.each(Object.entries(cases.break))("%s: every known break is flagged", async (pair, expected) => {
    const found = (await diff(pair)).findings.filter((finding) => finding.tier !== "info").map((finding) => `${finding.rule} ${finding.symbol}`);
    for (const [rule, symbol] of expected) expect(found).toContain(`${rule} ${symbol}`);
  });

  it.each(cases.noBreak)("%s: nothing breaking, at most a handful to review", async (pair) => {
    const { findings } = await diff(pair);
    expect(findings.filter((finding) => finding.tier === "confident")).toEqual([]);
    expect(findings.filter((finding) => finding.tier === "review").length).toBeLessThanOrEqual(2);
  });
});

it("a diff says where the thread's time went: compiling, reading the surfaces, the review tier", async () => {
  const [from, to] = [await loadRecorded("axios@1.1.3..1.21.1", "from"), await loadRecorded("axios@1.1.3..1.21.1", "to")];
  for (const review of [true, false]) {
    const { stats } = diffDeclarations(from, to, { review });
    const phases = stats.phases ?? { compile: Number.NaN, surfaces: Number.NaN, review: Number.NaN };
    // Each phase is rounded on its own: together they may pass the rounded whole by a millisecond or two.
    expect(phases.compile + phases.surfaces + phases.review).toBeLessThanOrEqual(stats.milliseconds + 2);
    expect(phases.review > 0).toBe(review);
  }
});

describe("versions that publish the same declarations are not compiled (recorded)", () => {
  it.each(["chalk@5.2.0..5.3.0", "ws@8.13.0..8.16.0"])("%s: an empty diff, marked identical, without the compiler", async (pair) => {
    const [from, to] = [await loadRecorded(pair, "from"), await loadRecorded(pair, "to")];
    const unchanged = unchangedDiff(from, to);
    expect(unchanged).toMatchObject({ identical: true, findings: [], from: from.source, to: to.source });
    expect(apiSummary(unchanged as ApiDiff)).toBe(`API diff of ${from.source.package}@${from.source.version} → ${to.source.package}@${to.source.version}: the declarations are identical`);
    // The compiler agrees: nothing at all differs.
    expect(diffDeclarations(from, to, { review: true }).findings).toEqual([]);
  });

  it("a changed declaration, entry point or dependency is compiled", async () => {
    const [from, to] = [await loadRecorded("chalk@5.2.0..5.3.0", "from"), await loadRecorded("chalk@5.2.0..5.3.0", "to")];
    const [file] = Object.keys(to.files);
    expect(unchangedDiff(from, { ...to, files: { ...to.files, [file as string]: `${to.files[file as string]}\nexport declare const added: 1;` } })).toBeUndefined();
    expect(unchangedDiff(from, { ...to, entries: to.entries.slice(1) })).toBeUndefined();
    expect(unchangedDiff({ ...from, dependencies: [from] }, { ...to, dependencies: [from] })).toMatchObject({ identical: true });
    expect(unchangedDiff({ ...from, dependencies: [from] }, { ...to, dependencies: [await loadRecorded("axios@1.1.3..1.21.1", "to")] })).toBeUndefined();
    expect(unchangedDiff({ ...from, dependencies: [from] }, { ...to, dependencies: [{ ...from, manifest: { ...from.manifest, types: "./other.d.ts" } }] })).toBeUndefined();
    expect(unchangedDiff(await loadRecorded("axios@1.1.3..1.21.1", "from"), await loadRecorded("axios@1.1.3..1.21.1", "to"))).toBeUndefined();
  });
});

describe("a CommonJS/ESM dual package is compared condition by condition (recorded)", () => {
  it("axios 1.1.3 → 1.21.1 for code that require()s it: `export default` became `export =` in index.d.cts, the same value", async () => {
    const from = resolvedFor(await loadRecorded("axios@1.1.3..1.21.1", "from"), "require");
    const to = resolvedFor(await loadRecorded("axios@1.1.3..1.21.1", "to"), "require");
    expect(to.entries.find((entry) => entry.subpath === ".")).toEqual({ subpath: ".", file: "index.d.cts" });
    const { findings } = diffDeclarations(from, to, { review: false });
    expect(findings.filter((finding) => finding.symbol === "default" || finding.symbol === "export=")).toEqual([]);
  });

  it.each([
    ["import", "index.d.mts"],
    ["require", "index.d.cts"],
  ] as const)("%s resolves the new version to %s, and nothing breaks", async (resolution, file) => {
    const from = resolvedFor(await loadRecorded("helmet@6.0.0..6.2.0", "from"), resolution);
    const to = resolvedFor(await loadRecorded("helmet@6.0.0..6.2.0", "to"), resolution);
    expect(to.entries).toEqual([{ subpath: ".", file }]);
    const { findings } = diffDeclarations(from, to, { review: true });
    expect(findings.filter((finding) => finding.tier !== "info")).toEqual([]);
  });
});
