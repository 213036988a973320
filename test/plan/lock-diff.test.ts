import { describe, expect, it } from "vitest";
import { semverVersioning } from "../../src/ecosystems/npm/versioning.js";
import { pep440Versioning } from "../../src/ecosystems/pypi/versioning.js";
import { bumpFromChange, diffInventories } from "../../src/plan/lock-diff.js";
import type { PackageHistory } from "../../src/registry/contract.js";
import type { InstalledPackage } from "../../src/types.js";

const pkg = (name: string, version: string, direct = true): InstalledPackage => ({ name, version, direct, dev: false, importers: direct ? ["."] : [] });
const history = (...versions: string[]): PackageHistory => ({ name: "p", distTags: {}, versions: Object.fromEntries(versions.map((version) => [version, { version }])), time: {} });

describe("diffInventories", () => {
  it("pairs old and new versions by name: upgrades (majors too), downgrades, added, removed; unchanged packages are not listed", () => {
    const base = [pkg("express", "4.18.2"), pkg("debug", "2.6.9", false), pkg("debug", "4.3.4", false), pkg("left-pad", "1.3.0"), pkg("ms", "2.1.3", false), pkg("dayjs", "1.11.0")];
    const head = [pkg("express", "5.1.0"), pkg("debug", "2.6.9", false), pkg("debug", "4.4.0", false), pkg("ms", "2.1.3", false), pkg("dayjs", "1.10.7"), pkg("zod", "3.25.0")];
    expect(diffInventories(base, head, semverVersioning).map((change) => `${change.kind} ${change.name} ${change.from ?? "-"} ${change.to ?? "-"} ${change.direct ? "direct" : "transitive"}`)).toEqual([
      "downgrade dayjs 1.11.0 1.10.7 direct",
      "upgrade debug 4.3.4 4.4.0 transitive",
      "upgrade express 4.18.2 5.1.0 direct",
      "removed left-pad 1.3.0 - direct",
      "added zod - 3.25.0 direct",
    ]);
  });

  it("an empty base (the lockfile was added) lists every package as added", () => {
    expect(diffInventories([], [pkg("a", "1.0.0"), pkg("b", "2.0.0")], semverVersioning).map((change) => change.kind)).toEqual(["added", "added"]);
  });

  it("a PEP 440 upgrade across a major is a major bump with every version in between", () => {
    const [change] = diffInventories([pkg("pydantic", "1.10.13")], [pkg("pydantic", "2.1")], pep440Versioning);
    expect(change?.kind).toBe("upgrade");
    const bump = bumpFromChange(change!, history("1.10.13", "2.0", "2.0.1", "2.1", "2.2"), pep440Versioning);
    expect(bump).toMatchObject({ type: "major", from: "1.10.13", to: "2.1", versionsInBetween: ["2.0", "2.0.1", "2.1"] });
  });

  it("bumpType labels majors on both schemes, and keeps 0.x steps minor", () => {
    expect(semverVersioning.bumpType("4.18.2", "5.0.0")).toBe("major");
    expect(semverVersioning.bumpType("0.27.0", "0.28.1")).toBe("minor");
    expect(pep440Versioning.bumpType("1.26", "2.0")).toBe("major");
    expect(pep440Versioning.bumpType("0.27.0", "0.28.1")).toBe("minor");
  });

  it("a downgrade is listed, not reviewed as a bump", () => {
    const [change] = diffInventories([pkg("dayjs", "1.11.0")], [pkg("dayjs", "1.10.7")], semverVersioning);
    expect(bumpFromChange(change!, history("1.10.7", "1.11.0"), semverVersioning)).toBeUndefined();
  });
});
