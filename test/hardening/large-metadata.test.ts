import { describe, expect, it } from "vitest";
import { pythonContractSignals } from "../../src/ecosystems/pypi/contract.js";
import type { PypiRelease } from "../../src/ecosystems/pypi/index/client.js";
import { parseCoreMetadata } from "../../src/ecosystems/pypi/index/metadata.js";

// A wheel's METADATA with `count` Requires-Dist lines (a generated meta-package can have tens of thousands).
function metadata(version: string, count: number, changes: { changed?: string; added?: string; removed?: number }): string {
  const lines = ["Metadata-Version: 2.1", "Name: bundle", `Version: ${version}`];
  for (let index = 0; index < count; index++) {
    if (index === changes.removed) continue;
    lines.push(`Requires-Dist: Dep_${index} >=1.0${index === 7 && changes.changed ? `,${changes.changed}` : ""}`);
  }
  if (changes.added) lines.push(`Requires-Dist: ${changes.added}`);
  return `${lines.join("\n")}\n\nThe long description.\n`;
}

function release(version: string, text: string): PypiRelease {
  const parsed = parseCoreMetadata(text);
  return { version, requiresDist: parsed.requiresDist, providesExtra: parsed.providesExtra, topLevel: [], files: [], metadataFrom: "wheel" };
}

describe("Requires-Dist is compared by name, in one pass over each side", () => {
  // Quadratic, 8,000 lines took 45 s and 50,000 about 30 min: past the test timeout by far.
  it("a metadata pair with 50,000 Requires-Dist lines: the one changed, one added and one removed requirement, each quoted from its own line", () => {
    const count = 50_000;
    const from = release("1.0.0", metadata("1.0.0", count, {}));
    const to = release("1.1.0", metadata("1.1.0", count, { changed: "<2", added: "newdep>=0.5", removed: 40_000 }));
    expect(from.requiresDist).toHaveLength(count);
    const signals = pythonContractSignals({ name: "bundle", from, to, between: [] }).filter((signal) => signal.rule.startsWith("contract/requires-dist"));
    expect(signals.map((signal) => [signal.rule, signal.severity, signal.message, signal.evidence?.quote])).toEqual([
      ["contract/requires-dist-changed", "risky", 'the requirement on dep-7 changed from ">=1.0" to ">=1.0,<2"', "Requires-Dist: Dep_7 >=1.0,<2"],
      ["contract/requires-dist-added", "info", "1.1.0 adds newdep >=0.5 as a required dependency", "Requires-Dist: newdep>=0.5"],
      ["contract/requires-dist-removed", "info", "1.1.0 no longer requires dep-40000", undefined],
    ]);
  });
});
