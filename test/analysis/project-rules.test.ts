import { describe, expect, it } from "vitest";
import { firstExcluded } from "../../src/ecosystems/npm/contract/engines.js";
import { contractSignals } from "../../src/ecosystems/npm/contract/index.js";
import type { ProjectView } from "../../src/analysis/project-view.js";
import { recordedManifest } from "../helpers/histories.js";
import { projectView, usageOf } from "../helpers/project.js";

function signalsFor(name: string, from: string, to: string, project?: ProjectView) {
  return contractSignals({ name, from: recordedManifest(name, from), to: recordedManifest(name, to), between: [], ...(project ? { project } : {}) });
}

describe("engines.node against the Node versions the project declares (typescript 5.0.4 → 5.1.3: >=12.20 → >=14.17)", () => {
  it("breaking when the new floor excludes a version the project declares, naming the fact", () => {
    const [signal] = signalsFor("typescript", "5.0.4", "5.1.3", projectView({ manifest: { engines: { node: ">=12" } } }));
    expect(signal).toMatchObject({ rule: "contract/engines-narrowed", severity: "breaking", fact: "engines.node >=12" });
    // Node 12.0 was already outside ">=12.20": the first version this bump takes away is 12.20.0.
    expect(signal?.message).toContain("excludes Node 12.20.0");
  });

  it("info when what the new range leaves out of the project's Node versions the old one left out already (nestjs-i18n >=18 → >=22 for >=16 is not this: Node 18 is taken away)", () => {
    const [signal] = signalsFor("typescript", "5.0.4", "5.1.3", projectView({ manifest: { engines: { node: "12.0.0 - 12.19.0 || >=16" } } }));
    expect(signal).toMatchObject({ rule: "contract/engines-narrowed", severity: "info" });
    expect(signal?.message).toContain('">=12.20" excluded already');
  });

  it("info when the project's floor is already above the new one (.nvmrc counts)", () => {
    const [signal] = signalsFor("typescript", "5.0.4", "5.1.3", projectView({ nodeFiles: { nvmrc: "v18.17.0\n" } }));
    expect(signal).toMatchObject({ severity: "info", fact: ".nvmrc 18.17.0" });
  });

  it("risky when the project declares nothing, and it says so", () => {
    const [signal] = signalsFor("typescript", "5.0.4", "5.1.3", projectView({}));
    expect(signal?.severity).toBe("risky");
    expect(signal?.message).toContain("the project declares no Node version");
  });
});

describe("peers against the installed versions (ts-jest 29.0.5 → 29.1.0: typescript >=4.3 → >=4.3 <6)", () => {
  it("breaking when the new range excludes the installed peer", () => {
    const signals = signalsFor("ts-jest", "29.0.5", "29.1.0", projectView({ installed: [["typescript", "6.0.2"], ["jest", "29.7.0"]] }));
    expect(signals).toContainEqual(expect.objectContaining({ rule: "contract/peer-tightened", severity: "breaking", fact: "installed typescript@6.0.2" }));
  });

  it("info when this same upgrade moves the peer into the range (lockstep packages like react and react-dom)", () => {
    const signals = signalsFor("ts-jest", "29.0.5", "29.1.0", projectView({ installed: [["typescript", "6.0.2"]], planned: [["typescript", "5.9.3"]] }));
    expect(signals).toContainEqual(expect.objectContaining({ rule: "contract/peer-tightened", severity: "info", fact: "typescript → 5.9.3 in this upgrade" }));
  });

  it("info when the installed peer still fits", () => {
    const signals = signalsFor("ts-jest", "29.0.5", "29.1.0", projectView({ installed: [["typescript", "5.4.5"]] }));
    expect(signals).toContainEqual(expect.objectContaining({ rule: "contract/peer-tightened", severity: "info" }));
    expect(signals.filter((signal) => signal.severity !== "info")).toEqual([]);
  });

  it("npm refuses the install: breaking says so; yarn and pnpm warn and install, so it is risky there", () => {
    const installed: [string, string][] = [["typescript", "6.0.2"]];
    const by = (manager: "npm" | "yarn-classic" | "pnpm") => signalsFor("ts-jest", "29.0.5", "29.1.0", projectView({ installed, manager })).find((signal) => signal.rule === "contract/peer-tightened");
    expect(by("npm")).toMatchObject({ severity: "breaking", message: expect.stringContaining("npm refuses the install (ERESOLVE)") });
    expect(by("yarn-classic")).toMatchObject({ severity: "risky", message: expect.stringContaining("yarn warns and installs it anyway"), fact: "installed typescript@6.0.2; installed by yarn" });
    expect(by("pnpm")).toMatchObject({ severity: "risky" });
  });
});

describe("a tightened peer the package manager can move (@langchain/langgraph-checkpoint-mongodb 1.4.0 → 1.4.1: @langchain/langgraph-checkpoint ^1.0.0 → ^1.1.4)", () => {
  const name = "@langchain/langgraph-checkpoint-mongodb";
  const peer = "@langchain/langgraph-checkpoint";
  const tightened = (project: ProjectView) => signalsFor(name, "1.4.0", "1.4.1", project).find((signal) => signal.rule === "contract/peer-tightened");

  it("is risky when nothing here declares the peer and the move is up within its major (hackathon-starter's 1.1.3, pulled in by @langchain/langgraph's ^1.1.3)", () => {
    expect(tightened(projectView({ installed: [[peer, "1.1.3"]] }))).toMatchObject({ severity: "risky", fact: `installed ${peer}@1.1.3`, message: expect.stringContaining(`must also move ${peer} up into "^1.1.4"`) });
  });

  it("a declared range decides whether it can move: one that admits the new range is risky, one that does not is breaking", () => {
    const installed: [string, string][] = [[peer, "1.1.3"]];
    expect(tightened(projectView({ installed, manifest: { dependencies: { [peer]: "^1.1.0" } } }))).toMatchObject({ severity: "risky", message: expect.stringContaining('which the declared "^1.1.0" allows') });
    expect(tightened(projectView({ installed, manifest: { dependencies: { [peer]: "1.1.3" } } }))).toMatchObject({ severity: "breaking", fact: `installed ${peer}@1.1.3` });
  });
});

describe("a peer unmet before the bump as well (@vitest/ui 2.0.5 → 2.1.9 beside vitest 3.0.6, excalidraw's)", () => {
  it("is information: the bump does not make it unmet", () => {
    const [signal] = signalsFor("@vitest/ui", "2.0.5", "2.1.9", projectView({ installed: [["vitest", "3.0.6"]] })).filter((candidate) => candidate.rule === "contract/peer-tightened");
    expect(signal).toMatchObject({ severity: "info", message: expect.stringContaining('as "2.0.5" did before') });
  });
});

describe("new peers", () => {
  it("a new required peer the project lacks is risky; an optional one it lacks says nothing", () => {
    const base = { version: "1.0.0", main: "index.js" };
    const to = { ...base, version: "1.1.0", peerDependencies: { react: ">=18", typescript: ">=5" }, peerDependenciesMeta: { typescript: { optional: true } } };
    const signals = contractSignals({ name: "pkg", from: base, to, between: [], project: projectView({}) });
    expect(signals.map((signal) => `${signal.rule}:${signal.severity}`)).toEqual(["contract/peer-added:risky"]);
    expect(signals[0]?.message).toContain("does not have react installed");
  });
});

describe("an exports map added (@sinclair/typebox 0.25.4 → 0.25.8)", () => {
  const name = "@sinclair/typebox";
  it("breaking when the project deep-imports a subpath the new map does not export, with file:line", async () => {
    const usage = await usageOf(name, "src/schema.ts", `import { Type } from "@sinclair/typebox";\nimport { ValuePointer } from "@sinclair/typebox/value/pointer";\nimport { TypeCompiler } from "@sinclair/typebox/compiler";\nType.String(); ValuePointer.Set({}, "/a", 1); TypeCompiler.Compile(Type.String());\n`);
    const signal = signalsFor(name, "0.25.4", "0.25.8", projectView({ usage, name })).find((s) => s.rule === "contract/exports-added");
    expect(signal).toMatchObject({ severity: "breaking", touches: [{ file: "src/schema.ts", line: 2 }] });
    expect(signal?.message).toContain("./value/pointer");
    expect(signal?.message).not.toContain("./compiler");
  });

  it("info when the project imports only the root or exported subpaths; risky without the project's code", async () => {
    const usage = await usageOf(name, "src/schema.ts", `import { Type } from "@sinclair/typebox";\nimport { TypeCompiler } from "@sinclair/typebox/compiler";\n`);
    expect(signalsFor(name, "0.25.4", "0.25.8", projectView({ usage, name })).find((s) => s.rule === "contract/exports-added")?.severity).toBe("info");
    expect(signalsFor(name, "0.25.4", "0.25.8", projectView({ name, codeAvailable: false })).find((s) => s.rule === "contract/exports-added")?.severity).toBe("risky");
  });
});

describe("type: module and main removed matter only to code that require()s the package", () => {
  const base = { version: "1.0.0", main: "index.js" };
  const esm = { ...base, version: "1.1.0", type: "module" };
  it("breaking for a require() site, info for import-only code", async () => {
    const requires = await usageOf("pkg", "src/a.cjs", `const pkg = require("pkg");\npkg.run();\n`);
    const imports = await usageOf("pkg", "src/a.mjs", `import pkg from "pkg";\npkg.run();\n`);
    expect(contractSignals({ name: "pkg", from: base, to: esm, between: [], project: projectView({ usage: requires }) })).toEqual([
      expect.objectContaining({ rule: "contract/type-module", severity: "breaking", touches: [{ file: "src/a.cjs", line: 1 }] }),
    ]);
    expect(contractSignals({ name: "pkg", from: base, to: esm, between: [], project: projectView({ usage: imports }) })).toEqual([expect.objectContaining({ rule: "contract/type-module", severity: "info" })]);
  });
});

describe("which Node versions a narrowed range excludes", () => {
  it("only those the old range ran on (nestjs-boilerplate, >=16: nestjs-i18n >=18 → >=22, @swc/cli >= 16.14.0 → >= 20.19.0)", () => {
    expect(firstExcluded(">=16", ">=22", ">=18")).toBe("18.0.0");
    expect(firstExcluded(">=16", ">= 20.19.0", ">= 16.14.0")).toBe("16.14.0");
    expect(firstExcluded("16 || >=20", ">=20", ">=18")).toBeUndefined();
  });

  it.each([
    [">=18", ">=18.17", "18.0.0"],
    [">=18", "14 >=14.21 || 16 >=16.20 || 18 || 20 || >=22", undefined],
    [">=18.20", "14 >=14.21 || 16 >=16.20 || 18 >=18.20 || 20 || >=22", undefined],
    ["^18.18.0 || >=20.0.0", ">=20.18.1", "18.18.0"],
    [">=16", "18 || 20", "16.0.0"],
    [">=20", "18 || 20", "22.0.0"],
  ])("project %s, package %s → %s", (project, after, excluded) => {
    expect(firstExcluded(project, after)).toBe(excluded);
  });
});
