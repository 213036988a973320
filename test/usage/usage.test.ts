import path from "node:path";
import { describe, expect, it } from "vitest";
import { findImports } from "../../src/usage/imports.js";
import { scanUsage } from "../../src/usage/index.js";
import { fixturesDir } from "../helpers/fake-registry.js";

const app = path.join(fixturesDir, "usage/app");

describe("findImports", () => {
  it("reads ESM, CommonJS, dynamic imports and re-exports", () => {
    const source = [
      'import def, { a as b, type C } from "pkg";',
      'import * as ns from "pkg/sub";',
      'import "side-effect";',
      'export { x } from "pkg";',
      'const { y, z: w } = require("pkg");',
      'const whole = require("pkg");',
      'const lazy = await import("pkg");',
    ].join("\n");
    expect(findImports(source)).toEqual([
      { kind: "esm", specifier: "pkg", line: 1, names: ["a", "C", "default"], bindings: ["def"] },
      { kind: "esm", specifier: "pkg/sub", line: 2, names: ["*"], bindings: ["ns"] },
      { kind: "esm", specifier: "side-effect", line: 3, names: [], bindings: [] },
      { kind: "re-export", specifier: "pkg", line: 4, names: ["x"], bindings: [] },
      { kind: "cjs", specifier: "pkg", line: 5, names: ["y", "z"], bindings: [] },
      { kind: "cjs", specifier: "pkg", line: 6, names: ["default"], bindings: ["whole"] },
      { kind: "dynamic", specifier: "pkg", line: 7, names: ["default"], bindings: ["lazy"] },
    ]);
  });
});

describe("scanUsage", () => {
  it("finds the files, symbols and snippets of each package, skipping node_modules and dist", async () => {
    const usage = await scanUsage(app, ["express", "axios", "lodash", "dayjs", "uuid"]);
    const express = usage.get("express");
    expect(express?.files.map((f) => f.file)).toEqual(["src/routes/api.js", "src/server.ts"]);
    expect(express?.symbols).toEqual(expect.arrayContaining(["Router", "Request", "json"]));
    expect(express?.snippets.some((s) => s.file === "src/server.ts" && s.text.includes("express.json()"))).toBe(true);
    expect(usage.get("axios")?.symbols).toEqual(["get"]);
    expect(usage.get("lodash")?.symbols).toEqual(["groupBy"]);
    expect(usage.get("dayjs")?.files[0]?.imports[0]).toMatchObject({ kind: "dynamic", specifier: "dayjs" });
    expect(usage.get("uuid")?.files).toEqual([]);
  });
});
