import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diffDeclarations } from "../../../src/analysis/api/diff.js";
import { apiFixtures, loadRecorded } from "../../helpers/api-fixtures.js";

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
