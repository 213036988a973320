import { describe, expect, it } from "vitest";
import { analysisThreads } from "../../../../src/ecosystems/npm/api/runner.js";

describe("API-diff threads", () => {
  it("one fewer than the cores, at most 2, and a second only with 2 GB free", () => {
    const gb = 1024 ** 3;
    expect(analysisThreads(1, 8 * gb)).toBe(1);
    expect(analysisThreads(2, 8 * gb)).toBe(1);
    expect(analysisThreads(4, 8 * gb)).toBe(2);
    expect(analysisThreads(16, 8 * gb)).toBe(2);
    expect(analysisThreads(4, 1 * gb)).toBe(1);
  });
});
