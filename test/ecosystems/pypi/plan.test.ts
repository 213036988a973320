import { describe, expect, it } from "vitest";
import { pep440Versioning } from "../../../src/ecosystems/pypi/versioning.js";
import { firstExcludedPython } from "../../../src/ecosystems/pypi/python-support.js";
import { type PlanPolicy, planBump } from "../../../src/plan/index.js";
import type { PackageHistory } from "../../../src/registry/contract.js";
import type { InstalledPackage } from "../../../src/types.js";

const policy: PlanPolicy = { target: "minor", minAgeDays: 0, now: new Date("2026-12-02"), all: false, include: [], exclude: [] };

function history(versions: Record<string, { yanked?: string; runtime?: string }>): PackageHistory {
  return { name: "pkg", distTags: {}, time: {}, versions: Object.fromEntries(Object.entries(versions).map(([version, extra]) => [version, { version, ...extra }])) };
}

function installed(version: string): InstalledPackage {
  return { name: "pkg", version, direct: true, dev: false, importers: ["."] };
}

function plan(from: string, versions: Parameters<typeof history>[0], extra: Partial<PlanPolicy> = {}) {
  return planBump(installed(from), history(versions), { ...policy, ...extra }, pep440Versioning);
}

describe("planning Python versions (PEP 440)", () => {
  it("two-part versions, post releases and local versions order as PEP 440 says; pre and dev releases only from one", () => {
    const result = plan("2.0", { "2.0": {}, "2.0.post1": {}, "2.1": {}, "2.2rc1": {}, "2.2.dev3": {}, "3.0": {} });
    expect(result).toMatchObject({ bump: { from: "2.0", to: "2.1", type: "minor", versionsInBetween: ["2.0.post1", "2.1"] } });
    expect(plan("2.2rc1", { "2.2rc1": {}, "2.2rc2": {}, "2.2": {} })).toMatchObject({ bump: { to: "2.2", versionsInBetween: ["2.2rc2", "2.2"] } });
    expect(plan("2.13.0+cpu", { "2.13.0": {}, "2.13.1": {}, "2.14.0": {} }, { target: "patch" })).toMatchObject({ bump: { to: "2.13.1", type: "patch" } });
  });

  it("an epoch is a line of its own", () => {
    expect(plan("1!1.0", { "1!1.0": {}, "1!1.1": {}, "2.0": {} })).toMatchObject({ bump: { to: "1!1.1" } });
  });

  it("a yanked version is never a target, and the reason is said when it was the newest", () => {
    expect(plan("8.0.0", { "8.0.0": {}, "8.1.0": { yanked: "See issue 12069" }, "8.1.1": {} })).toMatchObject({ bump: { to: "8.1.1", versionsInBetween: ["8.1.0", "8.1.1"] } });
    expect(plan("8.0.0", { "8.0.0": {}, "8.0.2": {}, "8.1.0": { yanked: "See issue 12069" } })).toEqual({
      bump: expect.objectContaining({ to: "8.0.2", versionsInBetween: ["8.0.2"] }),
      heldBack: { name: "pkg", from: "8.0.0", newest: "8.1.0", reason: "8.1.0 was yanked: See issue 12069; reviewed up to 8.0.2 instead" },
    });
  });

  it("a version whose requires_python leaves out part of the project's Python is held back, with the newest that runs everywhere reviewed", () => {
    const unsupported = (needs: string) => {
      const excluded = firstExcludedPython(">=3.9", needs);
      return excluded ? `needs Python ${needs}; the project allows ${excluded}` : undefined;
    };
    const result = plan("0.65.1", { "0.65.1": { runtime: ">=3.6" }, "0.128.8": { runtime: ">=3.8" }, "0.130.0": { runtime: ">=3.10" } }, { unsupported });
    expect(result).toMatchObject({ bump: { to: "0.128.8" }, heldBack: { newest: "0.130.0", reason: "0.130.0 needs Python >=3.10; the project allows 3.9; reviewed up to 0.128.8 instead" } });
  });

  it("0.x minors break by convention; calendar versions are recognised", () => {
    expect(pep440Versioning.breaksByConvention("0.27.0", "0.28.1")).toBe(true);
    expect(pep440Versioning.breaksByConvention("0.27.0", "0.27.2")).toBe(false);
    expect(pep440Versioning.breaksByConvention("2.41.1", "2.50.0")).toBe(false);
    expect(pep440Versioning.isCalendar("2024.1.0")).toBe(true);
    expect(pep440Versioning.isCalendar("24.1.0")).toBe(true);
    expect(pep440Versioning.isCalendar("2.41.1")).toBe(false);
  });

  it("which Python a requires_python leaves out", () => {
    expect(firstExcludedPython(">=3.9", ">=3.10")).toBe("3.9");
    expect(firstExcludedPython(">=3.10", ">=3.10")).toBeUndefined();
    expect(firstExcludedPython("==3.11.*", ">=3.12")).toBe("3.11");
    expect(firstExcludedPython(">=3.9.2", ">=3.9")).toBeUndefined();
    expect(firstExcludedPython(">=3.9", "not a range")).toBeUndefined();
  });
});
