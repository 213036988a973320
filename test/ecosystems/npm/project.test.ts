import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isExactPin, projectFacts } from "../../../src/ecosystems/npm/facts.js";
import { nodeSupportFor } from "../../../src/project/facts.js";
import { compilerSettings } from "../../../src/ecosystems/npm/tsconfig.js";
import type { Manifest } from "../../../src/ecosystems/npm/lockfile/types.js";
import type { Inventory } from "../../../src/types.js";

const inventory: Inventory = {
  ecosystem: "npm",
  manager: "npm",
  lockfilePath: "package-lock.json",
  packages: [
    { name: "eslint", version: "7.32.0", direct: true, dev: true, importers: ["."] },
    { name: "socks-proxy-agent", version: "6.1.1", direct: true, dev: false, importers: ["packages/api"] },
    { name: "toString", version: "1.0.0", direct: false, dev: false, importers: [] },
  ],
};

describe("project facts", () => {
  it("reads the Node range per workspace, the module type, installed versions and exact pins", () => {
    const facts = projectFacts({
      manifests: new Map<string, Manifest>([
        [".", { type: "module", engines: { node: ">=18" }, devDependencies: { eslint: "^7.32.0" } }],
        ["packages/api", { engines: { node: ">=20" }, dependencies: { "socks-proxy-agent": "6.1.1" } }],
        ["packages/web", { dependencies: {} }],
      ]),
      inventory,
      nodeFiles: {},
      typescript: true,
    });
    expect(facts.node.get(".")).toEqual({ range: ">=18", source: "engines.node" });
    expect(facts.node.get("packages/api")?.range).toBe(">=20");
    expect(facts.node.get("packages/web")?.range).toBe(">=18");
    expect(nodeSupportFor(facts, ["packages/api", "packages/web"]).range).toBe(">=20 || >=18");
    expect(facts.moduleType.get(".")).toBe("module");
    expect(facts.installed.get("eslint")).toEqual(["7.32.0"]);
    expect(facts.installed.get("toString")).toEqual(["1.0.0"]);
    expect(facts.declared.get("socks-proxy-agent")).toEqual([{ importer: "packages/api", range: "6.1.1", dev: false, exactPin: true }]);
    expect(facts.declared.get("eslint")?.[0]).toMatchObject({ dev: true, exactPin: false });
    expect(facts.language).toBe("typescript");
  });

  it("falls back to .nvmrc, .node-version and volta.node, and says when none can be read", () => {
    const facts = (manifest: Record<string, unknown>, nodeFiles: { nvmrc?: string; nodeVersion?: string }) => projectFacts({ manifests: new Map([[".", manifest]]), inventory, nodeFiles, typescript: false });
    expect(facts({}, { nvmrc: "18\n" }).node.get(".")).toEqual({ range: "18.x", source: ".nvmrc" });
    expect(facts({}, { nodeVersion: "v20.11.1" }).node.get(".")).toEqual({ range: "20.11.1", source: ".node-version" });
    expect(facts({ volta: { node: "18.19.0" } }, {}).node.get(".")).toEqual({ range: "18.19.0", source: "volta.node" });
    expect(facts({}, {}).node.get(".")).toEqual({ range: null, source: "none" });
    const lts = facts({}, { nvmrc: "lts/hydrogen" });
    expect(lts.node.get(".")?.range).toBeNull();
    expect(lts.notes).toEqual(['.nvmrc says "lts/hydrogen", which is not a Node version bumpwise can compare']);
  });

  it.each([
    ["6.1.1", true],
    ["=6.1.1", true],
    ["^6.1.1", false],
    ["~6.1.1", false],
    ["6.x", false],
    ["latest", false],
    ["npm:other@1.0.0", false],
  ])("isExactPin(%s) is %s", (range, pinned) => {
    expect(isExactPin(range)).toBe(pinned);
  });

  it("reads the tsconfig's module settings through extends, and a broken tsconfig is a note", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-facts-"));
    await writeFile(path.join(dir, "base.json"), JSON.stringify({ compilerOptions: { module: "nodenext" } }));
    await writeFile(path.join(dir, "tsconfig.json"), '{ // comments are allowed\n "extends": "./base.json", "compilerOptions": { "moduleResolution": "nodenext" } }');
    expect(compilerSettings(path.join(dir, "tsconfig.json"))).toEqual({ file: "tsconfig.json", module: "NodeNext", moduleResolution: "NodeNext" });
    await writeFile(path.join(dir, "tsconfig.json"), '{ "extends": "./missing.json" }');
    expect(compilerSettings(path.join(dir, "tsconfig.json"))).toEqual({ error: expect.stringMatching(/^tsconfig\.json does not load \(.*missing\.json.*\); module settings unknown$/) });
  });

  it("an empty \"files\" list (uptime-kuma's tsconfig) still has settings, checkJs among them", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-facts-"));
    await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "commonjs", checkJs: true }, files: [] }));
    expect(compilerSettings(path.join(dir, "tsconfig.json"))).toEqual({ file: "tsconfig.json", module: "CommonJS", checkJs: true });
  });
});
