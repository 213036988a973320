import { describe, expect, it } from "vitest";
import { declarationsFromFiles } from "../../../../src/ecosystems/npm/api/declarations.js";
import { importedPackages, sharedEnvironment } from "../../../../src/ecosystems/npm/api/dependencies.js";
import { diffDeclarations, OverBudget } from "../../../../src/ecosystems/npm/api/diff.js";
import { fileChanges } from "../../../../src/ecosystems/npm/api/index.js";
import type { PackageDeclarations } from "../../../../src/ecosystems/npm/api/types.js";
import { loadRecorded } from "../../../helpers/api-fixtures.js";

describe("the dependencies a package's declarations import", () => {
  it("@types/express 4.17.21 (recorded) imports its DefinitelyTyped dependencies, and no Node built-in counts", async () => {
    const names = importedPackages(await loadRecorded("@types__express@4.17.17..4.17.21", "to"));
    expect(names).toEqual(expect.arrayContaining(["body-parser", "express-serve-static-core", "serve-static"]));
    expect(names.filter((name) => name.startsWith("node:") || name === "@types/express")).toEqual([]);
  });
});

describe("a member that moved to a base interface in a dependency is not lost", () => {
  const base = (version: string, body: string): PackageDeclarations =>
    declarationsFromFiles("shared-types", version, { package: "shared-types", version }, { types: "index.d.ts" }, [{ path: "index.d.ts", content: `export interface Base {\n${body}}\n` }]);
  const side = (version: string, body: string, dependency?: PackageDeclarations): PackageDeclarations => ({
    ...declarationsFromFiles("client-lib", version, { package: "client-lib", version }, { types: "index.d.ts" }, [
      { path: "index.d.ts", content: `import type { Base } from "shared-types";\nexport interface Options extends Base {\n${body}}\nexport declare function connect(options: Options): void;\n` },
    ]),
    ...(dependency ? { dependencies: [dependency] } : {}),
  });

  it("is reported as lost when the dependency's declarations are missing, and not when they are mounted", () => {
    const from = side("1.0.0", "  timeout?: number;\n", base("1.0.0", ""));
    const withoutBase = side("1.1.0", "");
    const withBase = side("1.1.0", "", base("1.1.0", "  timeout?: number;\n"));
    const lost = (to: PackageDeclarations) => diffDeclarations(from, to, { review: false }).findings.filter((finding) => finding.rule === "api/member-removed");
    expect(lost(withoutBase)).toEqual([expect.objectContaining({ symbol: "Options", message: "Options lost 1 member: timeout" })]);
    expect(lost(withBase)).toEqual([]);
  });
});

describe("a dependency both versions load at the same version", () => {
  const base = declarationsFromFiles("shared-types", "2.0.0", { package: "shared-types", version: "2.0.0" }, { types: "index.d.ts" }, [
    { path: "index.d.ts", content: "export interface Base {\n  timeout?: number;\n}\n" },
  ]);
  const side = (version: string, options: string): PackageDeclarations => ({
    ...declarationsFromFiles("client-lib", version, { package: "client-lib", version }, { types: "index.d.ts" }, [
      { path: "index.d.ts", content: `import type { Base } from "shared-types";\n${options}\nexport declare function connect(options: Options): Base;\n` },
    ]),
    dependencies: [base],
  });

  it("is mounted once and resolves from both versions: a member moved into its interface is not lost", () => {
    const from = side("1.0.0", "export interface Options {\n  timeout?: number;\n  port?: number;\n}");
    const to = side("1.1.0", "export interface Options extends Base {\n}");
    const lost = diffDeclarations(from, to, { review: true }).findings.filter((finding) => finding.rule === "api/member-removed");
    expect(lost).toEqual([expect.objectContaining({ symbol: "Options", message: "Options lost 1 member: port" })]);
  });

  it("a pair past its deadline stops at a checkpoint with OverBudget, and the next pair in the thread runs", () => {
    const [from, to] = [side("1.0.0", "export interface Options {\n  port?: number;\n}"), side("1.1.0", "export interface Options {}")];
    expect(() => diffDeclarations(from, to, { review: true, deadline: performance.now() - 1 })).toThrow(OverBudget);
    expect(diffDeclarations(from, to, { review: true }).findings.map((finding) => finding.rule)).toContain("api/member-removed");
  });

  it("the confident rules run to their own, later deadline; the review tier stops at the budget", () => {
    const [from, to] = [side("1.0.0", "export interface Options {\n  port?: number;\n}\nexport declare function listen(port: number): void;"), side("1.1.0", "export interface Options {}\nexport declare function listen(port: string): void;")];
    let confident: string[] = [];
    const past = performance.now() - 1;
    const run = () => diffDeclarations(from, to, { review: true, deadline: past, confidentDeadline: performance.now() + 60_000, onConfident: (diff) => (confident = diff.findings.map((finding) => finding.rule)) });
    expect(run).toThrow(OverBudget);
    expect(confident).toContain("api/member-removed");
    expect(() => diffDeclarations(from, to, { review: true, deadline: past, confidentDeadline: past })).toThrow(OverBudget);
  });
});

describe("the environment's declarations (@types/node) are the same on both sides of a pair", () => {
  const node = (version: string, buffer: string): PackageDeclarations =>
    declarationsFromFiles("@types/node", version, { package: "@types/node", version }, { types: "index.d.ts" }, [{ path: "index.d.ts", content: `declare module "buffer" {\n  ${buffer}\n}\n` }]);
  const side = (version: string, dependencies: PackageDeclarations[], extra = ""): PackageDeclarations => ({
    ...declarationsFromFiles("db-lib", version, { package: "db-lib", version }, { types: "index.d.ts" }, [
      { path: "index.d.ts", content: `import { Buffer } from "buffer";\nexport interface Row {\n  data: Buffer;\n${extra}}\nexport declare function save(row: Row): void;\n` },
    ]),
    dependencies,
  });
  const old = node("20.3.3", "export class Buffer { readonly length: number; }");
  const now = node("26.6.11", "export class Buffer<T extends ArrayBufferLike = ArrayBufferLike> { readonly length: number; readonly buffer: T; }");

  it("the newer side's for both, else the older's when only it names one; other dependencies stay each side's own", () => {
    const other = declarationsFromFiles("helper", "1.0.0", { package: "helper", version: "1.0.0" }, { types: "index.d.ts" }, [{ path: "index.d.ts", content: "export type Id = string;\n" }]);
    const versions = (sides: PackageDeclarations[]) => sides.map((one) => one.dependencies?.map((dependency) => `${dependency.name}@${dependency.version}`));
    expect(versions(sharedEnvironment(side("0.3.3", [other, old]), side("0.4.0", [now])))).toEqual([["helper@1.0.0", "@types/node@26.6.11"], ["@types/node@26.6.11"]]);
    expect(versions(sharedEnvironment(side("0.3.3", [old]), side("0.4.0", [])))).toEqual([["@types/node@20.3.3"], ["@types/node@20.3.3"]]);
    expect(versions(sharedEnvironment(side("0.3.3", [other]), side("0.4.0", [other])))).toEqual([["helper@1.0.0"], ["helper@1.0.0"]]);
  });

  it("compared over it, a member added is the only change (Buffer's shape is the environment's, not the package's)", () => {
    const findings = diffDeclarations(...sharedEnvironment(side("0.3.3", [old]), side("0.4.0", [now], "  label?: string;\n")), { review: true }).findings;
    expect(findings.map((finding) => finding.message)).toEqual(["Row gained 1 member: label"]);
  });
});

describe("the files a tarball gained and lost", () => {
  const side = (version: string, fileList: string[]): PackageDeclarations => ({ ...declarationsFromFiles("lib", version, { package: "lib", version }, {}, []), fileList });
  it("lists added and removed paths, and nothing when the lists match", () => {
    expect(fileChanges(side("1.0.0", ["index.js", "lib/cast.js", "package.json"]), side("1.1.0", ["index.js", "lib/value.js", "package.json"]))).toEqual({ added: ["lib/value.js"], removed: ["lib/cast.js"] });
    expect(fileChanges(side("1.0.0", ["index.js"]), side("1.1.0", ["index.js"]))).toBeUndefined();
  });
});
