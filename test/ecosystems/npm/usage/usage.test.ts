import { cp, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openCache } from "../../../../src/registry/cache.js";
import { scanUsage } from "../../../../src/ecosystems/npm/usage/index.js";
import { scanSource } from "../../../../src/ecosystems/npm/usage/parse.js";
import type { FileScan } from "../../../../src/usage/types.js";
import { fixturesDir } from "../../../helpers/fake-registry.js";

const app = path.join(fixturesDir, "usage/app");

function scan(source: string, file = "a.ts"): FileScan {
  const result = scanSource(source, file);
  if ("error" in result) throw new Error(result.error);
  return result;
}

const uses = (result: FileScan) => result.uses.map((use) => `${use.line} ${use.kind} ${use.symbol}${use.member ? `.${use.member}` : ""}${use.derived ? " (derived)" : ""}`);

describe("the import parser", () => {
  it("reads ESM (named, default, namespace, type-only), CommonJS, dynamic imports and re-exports", () => {
    const result = scan([
      'import def, { a as b, type C } from "pkg";',
      'import * as ns from "pkg/sub";',
      'import "side-effect";',
      'import type { T } from "types-only";',
      'export { x } from "pkg";',
      'export * from "pkg";',
      'const { y, z: w } = require("pkg");',
      'const whole = require("pkg");',
      'const lazy = await import("pkg");',
      'const chunk = require("lodash").chunk;',
    ].join("\n"));
    expect(result.imports).toEqual([
      { kind: "esm", specifier: "pkg", line: 1, typeOnly: false, names: ["default", "a", "C"], bindings: [{ local: "def", imported: "default" }, { local: "b", imported: "a" }, { local: "C", imported: "C" }] },
      { kind: "esm", specifier: "pkg/sub", line: 2, typeOnly: false, names: ["*"], bindings: [{ local: "ns", imported: "*" }] },
      { kind: "esm", specifier: "side-effect", line: 3, typeOnly: false, names: [], bindings: [] },
      { kind: "esm", specifier: "types-only", line: 4, typeOnly: true, names: ["T"], bindings: [{ local: "T", imported: "T" }] },
      { kind: "re-export", specifier: "pkg", line: 5, typeOnly: false, names: ["x"], bindings: [] },
      { kind: "re-export", specifier: "pkg", line: 6, typeOnly: false, names: ["*"], bindings: [] },
      { kind: "cjs", specifier: "pkg", line: 7, typeOnly: false, names: ["y", "z"], bindings: [{ local: "y", imported: "y" }, { local: "w", imported: "z" }] },
      { kind: "cjs", specifier: "pkg", line: 8, typeOnly: false, names: ["default"], bindings: [{ local: "whole", imported: "*" }] },
      { kind: "dynamic", specifier: "pkg", line: 9, typeOnly: false, names: ["default"], bindings: [{ local: "lazy", imported: "*" }] },
      { kind: "cjs", specifier: "lodash", line: 10, typeOnly: false, names: ["chunk"], bindings: [{ local: "chunk", imported: "chunk" }] },
    ]);
  });

  it("comments and strings are not imports", () => {
    const result = scan(['// import a from "commented";', '/* require("block") */', 'const text = "import b from \'quoted\'";', "const tpl = `require(\"tpl\")`;"].join("\n"), "a.js");
    expect(result.imports).toEqual([]);
  });

  it("records every member chain on a binding and one level of derived values, with the kind of use", () => {
    const result = scan([
      'import express from "express";',
      'import { Command } from "commander";',
      'import moment from "moment";',
      "const app = express();",
      "app.use(express.json());",
      "const program = new Command();",
      'program.option("-d");',
      'moment(d).locale("fr");',
      "class Cli extends Command {}",
      "let c: Command;",
    ].join("\n"));
    expect(uses(result)).toEqual([
      "4 call default",
      "5 call default.use (derived)",
      "5 call json",
      "6 construct Command",
      "7 call Command.option (derived)",
      "8 call default",
      "8 call default.locale (derived)",
      "9 extend Command",
      "10 type Command",
    ]);
  });

  it("reads require(…).member calls and type-only imports as type uses", () => {
    const result = scan(['require("lodash").chunk([1, 2], 1);', 'import type { Options } from "pkg";', "const o: Options = {};"].join("\n"), "a.ts");
    expect(uses(result)).toEqual(["1 call chunk", "3 type Options"]);
  });

  it("a name that is also an Object.prototype member is data (cronstrue.toString)", () => {
    const result = scan('import cronstrue from "cronstrue";\ncronstrue.toString("* * * * *");\nconst constructor = 1;\n', "a.js");
    expect(uses(result)).toEqual(["2 call toString"]);
  });

  it("a file that does not parse is reported, not guessed at", () => {
    expect(scanSource("const = ;", "a.js")).toEqual({ error: expect.stringMatching(/^does not parse \(line 1: /) });
  });
});

describe("scanUsage on a project", () => {
  it("finds the files, use sites and snippets of each package, skipping node_modules and dist", async () => {
    const { packages, skipped, sourceFiles } = await scanUsage(app, ["express", "axios", "lodash", "dayjs", "uuid", "cronstrue"]);
    expect(sourceFiles).toBeGreaterThanOrEqual(5);
    const express = packages.get("express");
    expect(express?.files.map((f) => f.file)).toEqual(["src/routes/api.js", "src/server.ts"]);
    expect(express?.symbols).toEqual(expect.arrayContaining(["Router", "Request", "json"]));
    expect(express?.uses.get("json")).toEqual(["call"]);
    expect(express?.requires).toEqual([{ file: "src/routes/api.js", line: 1 }]);
    expect(express?.snippets.some((s) => s.file === "src/server.ts" && s.text.includes("express.json()"))).toBe(true);
    expect(packages.get("axios")?.symbols).toEqual(["get"]);
    expect(packages.get("lodash")?.uses.get("groupBy")).toEqual(["call"]);
    expect(packages.get("dayjs")?.files[0]?.imports[0]).toMatchObject({ kind: "dynamic", specifier: "dayjs" });
    expect(packages.get("uuid")?.files).toEqual([]);
    expect(skipped).toEqual([{ file: "src/broken.js", reason: expect.stringContaining("does not parse") }]);
  });

  it("reads the <script> blocks of a .vue file at their own line numbers (the toString crash)", async () => {
    const cronstrue = (await scanUsage(app, ["cronstrue"])).packages.get("cronstrue");
    expect(cronstrue?.files.map((f) => f.file)).toEqual(["src/views/Clock.vue"]);
    expect(cronstrue?.uses.get("toString")).toEqual(["call"]);
    expect(cronstrue?.sites).toContainEqual(expect.objectContaining({ file: "src/views/Clock.vue", line: 11, symbol: "toString" }));
  });
});

describe("scanUsage with a cache", () => {
  it("reads an unchanged project's parse back from the cache, with the same usage; a changed file is parsed again", async () => {
    const project = await mkdtemp(path.join(os.tmpdir(), "bumpwise-scan-cache-"));
    await cp(app, project, { recursive: true });
    const cache = openCache(await mkdtemp(path.join(os.tmpdir(), "bumpwise-scan-cache-store-")));
    const puts: string[] = [];
    const counted = { ...cache, put: (key: string, value: unknown) => (puts.push(key), cache.put(key, value)) };
    const names = ["express", "axios", "lodash"];
    const first = await scanUsage(project, names, counted);
    await cache.flush();
    const again = await scanUsage(project, names, counted);
    expect(again).toEqual(first);
    expect(puts.filter((key) => key.startsWith("usage-scan:"))).toHaveLength(1);
    // Another text in one file: another fingerprint, parsed and stored again.
    const file = path.join(project, "src", (await readdir(path.join(project, "src"))).find((name) => name.endsWith(".ts") || name.endsWith(".js")) ?? "");
    await writeFile(file, `${await readFile(file, "utf8")}\n// changed\n`);
    const changed = await scanUsage(project, names, counted);
    expect(changed.fingerprint).not.toBe(first.fingerprint);
    expect(puts.filter((key) => key.startsWith("usage-scan:"))).toHaveLength(2);
  });
});
