import { describe, expect, it } from "vitest";
import { findCulprits } from "../../src/upgrade/bisect.js";

describe("findCulprits", () => {
  it("finds one culprit among 16 in log2(16) runs plus one confirming run", async () => {
    const bumps = Array.from({ length: 16 }, (_, i) => `pkg-${i}`);
    const { culprits, runs } = await findCulprits(bumps, async (subset) => !subset.includes("pkg-11"));
    expect(culprits).toEqual(["pkg-11"]);
    expect(runs).toBe(5);
  });

  it("finds two independent culprits", async () => {
    const bumps = ["a", "b", "c", "d", "e", "f"];
    const { culprits } = await findCulprits(bumps, async (subset) => !subset.includes("b") && !subset.includes("e"));
    expect(culprits.sort()).toEqual(["b", "e"]);
  });
});
