import { describe, expect, it } from "vitest";
import { moduleTypeOf } from "../../../src/ecosystems/npm/review.js";

describe("the module type Claude is told", () => {
  // A monorepo whose root package.json has no "type" while its members are ESM (seen in an eval app's prompts).
  const types = new Map<string, "module" | "commonjs">([[".", "commonjs"], ["packages/cli", "module"], ["packages/core", "module"]]);

  it("is the declaring workspaces' own, not the root's", () => {
    expect(moduleTypeOf(["packages/cli", "packages/core"], types)).toBe("module");
    expect(moduleTypeOf(["packages/cli", "."], types)).toBe("module in packages/cli, commonjs in .");
  });

  it("is the root's for a package no workspace declares (transitive)", () => {
    expect(moduleTypeOf([], types)).toBe("commonjs");
    expect(moduleTypeOf(["packages/unknown"], types)).toBe("commonjs");
  });
});
