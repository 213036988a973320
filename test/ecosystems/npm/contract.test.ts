import { describe, expect, it } from "vitest";
import { contractSignals } from "../../../src/ecosystems/npm/contract/index.js";
import { exportedSubpaths } from "../../../src/ecosystems/npm/contract/exports.js";
import type { VersionManifest } from "../../../src/ecosystems/npm/registry/packument.js";
import { recordedManifest } from "../../helpers/histories.js";

function between(name: string, from: string, to: string) {
  return contractSignals({
    name,
    from: recordedManifest(name, from),
    to: recordedManifest(name, to),
    between: [],
  });
}

const rules = (signals: ReturnType<typeof contractSignals>) => signals.map((s) => `${s.rule}:${s.severity}`);

describe("contract signals on real releases (fixtures/registry)", () => {
  it("typebox 0.25.25 → 0.26.0 removed exported subpaths", () => {
    const signals = between("@sinclair/typebox", "0.25.25", "0.26.0");
    const removed = signals.find((s) => s.rule === "contract/exports-removed");
    expect(removed?.severity).toBe("breaking");
    expect(removed?.symbols).toEqual(
      expect.arrayContaining(["./conditional", "./custom", "./format", "./guard", "./hash"]),
    );
  });

  it("typebox 0.25.4 → 0.25.8 added an exports map", () => {
    expect(rules(between("@sinclair/typebox", "0.25.4", "0.25.8"))).toContain("contract/exports-added:risky");
  });

  it("typescript 5.0.4 → 5.1.3 narrowed engines.node", () => {
    const [signal] = between("typescript", "5.0.4", "5.1.3");
    expect(signal).toMatchObject({
      rule: "contract/engines-narrowed",
      severity: "risky",
      message: 'engines.node narrowed from ">=12.20" to ">=14.17"',
      evidence: { quote: '"engines": {"node":">=14.17"}', version: "5.1.3" },
    });
  });

  it("dayjs 1.10.1 → 1.10.2 removed its module entry", () => {
    expect(rules(between("dayjs", "1.10.1", "1.10.2"))).toContain("contract/module-removed:risky");
  });

  it("express 4.11.2 → 4.12.0 swapped a dependency", () => {
    const swap = between("express", "4.11.2", "4.12.0").find((s) => s.rule === "contract/dependency-swapped");
    expect(swap?.message).toBe("dependencies: adds content-type@~1.0.1; drops media-typer");
    expect(swap?.severity).toBe("info");
  });

  it("a routine patch raises nothing", () => {
    expect(between("express", "4.18.2", "4.18.3")).toEqual([]);
  });
});

describe("contract rules on minimal manifests", () => {
  const base: VersionManifest = { version: "1.0.0", main: "index.js" };
  const check = (from: VersionManifest, to: VersionManifest, list: VersionManifest[] = []) =>
    rules(contractSignals({ name: "pkg", from, to, between: list }));

  it("type: module without a require condition is breaking; with one it is risky", () => {
    expect(check(base, { ...base, version: "1.1.0", type: "module" })).toEqual(["contract/type-module:breaking"]);
    const dual = {
      ...base,
      version: "1.1.0",
      type: "module",
      exports: { ".": { import: "./index.js", require: "./index.cjs" } },
    };
    expect(check({ ...base, exports: dual.exports }, dual)).toEqual(["contract/type-module:risky"]);
  });

  it("peer dependencies added (not optional ones) or tightened", () => {
    const from = { ...base, peerDependencies: { react: ">=16" } };
    const to = {
      ...base,
      version: "1.1.0",
      peerDependencies: { react: ">=18", "react-dom": ">=18", typescript: ">=5" },
      peerDependenciesMeta: { typescript: { optional: true } },
    };
    expect(check(from, to)).toEqual(["contract/peer-tightened:risky", "contract/peer-added:risky"]);
  });

  it("install scripts added or changed", () => {
    const to = { ...base, version: "1.0.1", installScripts: { postinstall: "node fetch-binary.js" } };
    const signals = contractSignals({ name: "pkg", from: base, to, between: [] });
    expect(signals).toEqual([
      expect.objectContaining({
        rule: "contract/install-script",
        severity: "risky",
        message: "adds a postinstall script",
        evidence: { quote: '"postinstall": "node fetch-binary.js"', version: "1.0.1" },
      }),
    ]);
  });

  it("main removed with no exports map is breaking", () => {
    expect(check(base, { version: "1.1.0" })).toEqual(["contract/main-removed:breaking"]);
  });

  it("deprecations: the locked version and versions in between", () => {
    const from = { ...base, deprecated: "security issue, upgrade" };
    const list = [{ version: "1.0.1", deprecated: "broken build" }, { version: "1.0.2" }];
    expect(check(from, { ...base, version: "1.0.2" }, list)).toEqual([
      "contract/deprecated:info",
      "contract/deprecated:info",
    ]);
  });
});

describe("exportedSubpaths", () => {
  it("reads the shapes package.json allows", () => {
    expect(exportedSubpaths("./index.js")).toEqual([{ subpath: ".", conditions: ["default"] }]);
    expect(exportedSubpaths({ import: "./a.mjs", require: "./a.cjs" })).toEqual([
      { subpath: ".", conditions: ["import", "default", "require"] },
    ]);
    expect(
      exportedSubpaths({ ".": "./a.js", "./utils": { types: "./u.d.ts", default: "./u.js" }, "./internal/*": null }),
    ).toEqual([
      { subpath: ".", conditions: ["default"] },
      { subpath: "./utils", conditions: ["types", "default"] },
    ]);
  });
});
