import { describe, expect, it } from "vitest";
import { type PlanPolicy, planBump as planWith, selectPackages } from "../../src/plan/index.js";

const planBump = (...args: [Parameters<typeof planWith>[0], Parameters<typeof planWith>[1], Parameters<typeof planWith>[2]]) => planWith(...args, semverVersioning);
const isBreakingBySemver = (bump: { from: string; to: string }) => semverVersioning.breaksByConvention(bump.from, bump.to);
import type { PackageHistory } from "../../src/registry/contract.js";
import type { InstalledPackage } from "../../src/types.js";
import { recordedHistory } from "../helpers/histories.js";
import { semverVersioning } from "../../src/ecosystems/npm/versioning.js";

const policy: PlanPolicy = {
  target: "minor",
  minAgeDays: 0,
  now: new Date("2026-11-23T00:00:00Z"),
  all: false,
  include: [],
  exclude: [],
};
const installed = (name: string, version: string, extra: Partial<InstalledPackage> = {}): InstalledPackage => ({
  name,
  version,
  direct: true,
  dev: false,
  importers: ["."],
  ...extra,
});

function bumpOf(result: ReturnType<typeof planBump>) {
  if (!("bump" in result)) throw new Error(`expected a bump, got ${JSON.stringify(result)}`);
  return result.bump;
}

describe("planBump on recorded packuments", () => {
  const express = recordedHistory("express");
  const newest4 = Object.keys(express.versions)
    .filter((v) => /^4\.\d+\.\d+$/.test(v))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
    .at(-1);

  it("minor: the newest version of the same major, with every version in between", () => {
    const bump = bumpOf(planBump(installed("express", "4.18.2"), express, policy));
    expect(bump.to).toBe(newest4);
    expect(bump.type).toBe("minor");
    expect(bump.versionsInBetween[0]).toBe("4.18.3");
    expect(bump.versionsInBetween.at(-1)).toBe(bump.to);
    expect(bump.versionsInBetween).not.toContain("4.18.2");
    expect(bump.versionsInBetween).toContain("4.19.0");
    expect(bump.versionsInBetween.every((v) => v.startsWith("4."))).toBe(true);
  });

  it("patch: stays on the same major.minor", () => {
    const bump = bumpOf(planBump(installed("express", "4.18.2"), express, { ...policy, target: "patch" }));
    expect(bump).toMatchObject({ to: "4.18.3", type: "patch", versionsInBetween: ["4.18.3"] });
  });

  it("up to date when nothing newer exists in the line", () => {
    expect(planBump(installed("express", newest4 ?? ""), express, policy)).toEqual({ upToDate: true });
  });

  it("skips prereleases unless the locked version is one", () => {
    const typescript = recordedHistory("typescript");
    const prereleases = Object.keys(typescript.versions).filter((v) => v.includes("-"));
    expect(prereleases.length).toBeGreaterThan(0);
    const bump = bumpOf(planBump(installed("typescript", "5.3.3"), typescript, policy));
    expect(bump.to).not.toContain("-");
    expect(bump.versionsInBetween.some((v) => v.includes("-"))).toBe(false);
  });

  it("0.x minor steps are planned and breaking by semver", () => {
    const bump = bumpOf(
      planBump(installed("@sinclair/typebox", "0.31.0"), recordedHistory("@sinclair/typebox"), policy),
    );
    expect(bump.to).toMatch(/^0\.3[4-9]\./);
    expect(bump.type).toBe("minor");
    expect(isBreakingBySemver(bump)).toBe(true);
    expect(isBreakingBySemver({ from: "0.31.0", to: "0.31.1" })).toBe(false);
    expect(isBreakingBySemver({ from: "0.0.3", to: "0.0.4" })).toBe(true);
    expect(isBreakingBySemver({ from: "1.2.0", to: "1.3.0" })).toBe(false);
  });
});

describe("policy", () => {
  const history: PackageHistory = {
    name: "pkg",
    distTags: { latest: "1.3.0" },
    time: {
      "1.0.0": "2026-01-01T00:00:00Z",
      "1.1.0": "2026-06-01T00:00:00Z",
      "1.2.0": "2026-11-01T00:00:00Z",
      "1.3.0": "2026-11-20T00:00:00Z",
    },
    versions: {
      "1.0.0": { version: "1.0.0" },
      "1.1.0": { version: "1.1.0" },
      "1.2.0": { version: "1.2.0" },
      "1.3.0": { version: "1.3.0", deprecated: "critical bug, use 1.2.0" },
      "2.0.0": { version: "2.0.0" },
    },
  };

  it("falls back from a deprecated newest version to the newest non-deprecated one", () => {
    const bump = bumpOf(planBump(installed("pkg", "1.0.0"), history, policy));
    expect(bump.to).toBe("1.2.0");
    expect(bump.versionsInBetween).toEqual(["1.1.0", "1.2.0"]);
  });

  it("--min-age skips young versions and says why when nothing is left", () => {
    const bump = bumpOf(planBump(installed("pkg", "1.0.0"), history, { ...policy, minAgeDays: 30 }));
    expect(bump.to).toBe("1.1.0");
    expect(planBump(installed("pkg", "1.1.0"), history, { ...policy, minAgeDays: 30 })).toEqual({
      heldBack: { name: "pkg", from: "1.1.0", newest: "1.3.0", reason: "1.3.0 is deprecated" },
    });
    const noDates = { ...history, time: {} };
    expect(planBump(installed("pkg", "1.1.0"), noDates, { ...policy, minAgeDays: 1 })).toMatchObject({
      heldBack: { newest: "1.3.0" },
    });
  });

  it("selects direct packages by default, all with --all, filtered by globs", () => {
    const packages = [
      installed("express", "4.18.2"),
      installed("@types/node", "20.8.0"),
      installed("ms", "2.0.0", { direct: false, importers: [] }),
    ];
    expect(selectPackages(packages, policy).map((p) => p.name)).toEqual(["express", "@types/node"]);
    expect(selectPackages(packages, { ...policy, all: true })).toHaveLength(3);
    expect(selectPackages(packages, { ...policy, include: ["@types/*"] }).map((p) => p.name)).toEqual(["@types/node"]);
    expect(selectPackages(packages, { ...policy, all: true, exclude: ["@types/**", "m?"] }).map((p) => p.name)).toEqual(
      ["express"],
    );
  });
});

describe("semver lines", () => {
  it("keeps a version in its line whatever its spelling, and turns others away", () => {
    const line = (candidate: string, target: "minor" | "patch" = "minor") => semverVersioning.inLine("1.2.3", candidate, target);
    expect(["1.9.0", "1.2.4", "v1.3.0"].map((candidate) => line(candidate))).toEqual([true, true, true]);
    expect(["10.0.0", "2.0.0", "0.1.0", "01.5.0", "1.x", "banana"].map((candidate) => line(candidate))).toEqual([false, false, false, false, false, false]);
    expect([line("1.2.9", "patch"), line("1.3.0", "patch")]).toEqual([true, false]);
  });
});

describe("--target in-range (npm's Wanted)", () => {
  const express = recordedHistory("express");
  const ranges = (range: string) => ({ ...policy, target: "in-range" as const, declaredRanges: () => [range] });

  it("a ~ range keeps the bump inside it, and the newer minor it leaves is held back with the range named", () => {
    const result = planBump(installed("express", "4.18.2"), express, ranges("~4.18.2"));
    expect(bumpOf(result).to).toMatch(/^4\.18\.\d+$/);
    expect(bumpOf(result).versionsInBetween.every((version) => version.startsWith("4.18."))).toBe(true);
    expect("heldBack" in result && result.heldBack).toMatchObject({ name: "express", reason: expect.stringMatching(/^4\.\d+\.\d+ is outside the declared ~4\.18\.2 \(--target in-range\)$/) });
  });

  it("a ^ range allows what minor allows; an exact pin allows no bump, and says so", () => {
    expect(bumpOf(planBump(installed("express", "4.18.2"), express, ranges("^4.18.2"))).to).toBe(bumpOf(planBump(installed("express", "4.18.2"), express, policy)).to);
    const pinned = planBump(installed("express", "4.18.2"), express, ranges("4.18.2"));
    expect("bump" in pinned).toBe(false);
    expect("heldBack" in pinned && pinned.heldBack?.reason).toContain("outside the declared 4.18.2");
  });

  it("a package with no declared range (transitive) follows minor", () => {
    const transitive = { ...policy, target: "in-range" as const, declaredRanges: () => [] };
    expect(bumpOf(planBump(installed("express", "4.18.2", { direct: false }), express, transitive)).to).toBe(bumpOf(planBump(installed("express", "4.18.2"), express, policy)).to);
  });
});

describe("newerMajor: what npm outdated shows and the plan does not review", () => {
  it("the newest release of a later major, not a prerelease, yanked, or published after --as-of", async () => {
    const { newerMajor } = await import("../../src/plan/index.js");
    const history: PackageHistory = {
      name: "express",
      distTags: { latest: "5.1.0" },
      time: { "4.18.2": "2022-10-08T00:00:00Z", "4.22.3": "2025-01-01T00:00:00Z", "5.0.0": "2024-09-10T00:00:00Z", "5.1.0": "2025-03-31T00:00:00Z", "6.0.0-beta.1": "2026-01-01T00:00:00Z" },
      versions: Object.fromEntries(["4.18.2", "4.22.3", "5.0.0", "5.1.0", "6.0.0-beta.1"].map((version) => [version, { version }])),
    };
    expect(newerMajor(installed("express", "4.18.2"), history, policy, semverVersioning)).toEqual({ name: "express", from: "4.18.2", latest: "5.1.0" });
    expect(newerMajor(installed("express", "5.1.0"), history, policy, semverVersioning)).toBeUndefined();
    expect(newerMajor(installed("express", "4.18.2"), history, { now: new Date("2025-01-01T00:00:00Z") }, semverVersioning)).toEqual({ name: "express", from: "4.18.2", latest: "5.0.0" });
    expect(newerMajor(installed("express", "4.18.2"), history, { now: new Date("2024-01-01T00:00:00Z") }, semverVersioning)).toBeUndefined();
  });
});
