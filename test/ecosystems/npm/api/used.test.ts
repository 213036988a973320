import { describe, expect, it } from "vitest";
import { diffDeclarations } from "../../../../src/ecosystems/npm/api/diff.js";
import { usedExports } from "../../../../src/ecosystems/npm/api/used.js";
import { checkable } from "../../../../src/ecosystems/npm/review.js";
import { loadRecorded } from "../../../helpers/api-fixtures.js";
import { usageOf } from "../../../helpers/project.js";

// Cost follows usage (issue 26): only the exports the code uses and the declarations they reach are
// read and compared, on recorded real pairs (fixtures/api/) with usage from the real scanner.
describe("the exports the code uses", () => {
  it("a namespace used at one member is that member, not the namespace", async () => {
    const usage = await usageOf("undici-types", "src/http.ts", 'import type { Dispatcher } from "undici-types";\nexport const options: Dispatcher.DispatchOptions = { path: "/", method: "GET" };\n');
    expect(usedExports(usage)).toEqual(["Dispatcher.DispatchOptions"]);
  });

  it("named imports and calls on a whole module; a default import also names `export =`", async () => {
    const usage = await usageOf("express", "src/app.js", 'import express, { Router } from "express";\nconst app = express();\napp.use(express.json());\nexport const router = Router();\n');
    expect(usedExports(usage)).toEqual(["Router", "default", "export=", "json"]);
  });

  it("nothing can be told when the whole module is handed on as a value", async () => {
    const usage = await usageOf("chart.js", "src/chart.js", 'import * as chart from "chart.js";\nregister(chart);\n');
    expect(usedExports(usage)).toBeUndefined();
  });
});

describe("a diff of the used exports", () => {
  it("undici-types 6.11 → 6.19 for code that uses Dispatcher.DispatchOptions: the removed Dispatcher.DispatcherInterceptor is not read, and far fewer exports are", async () => {
    const [from, to] = [await loadRecorded("undici-types@6.11.1..6.19.8", "from"), await loadRecorded("undici-types@6.11.1..6.19.8", "to")];
    const whole = diffDeclarations(from, to, { review: true });
    const used = diffDeclarations(from, to, { review: true, used: ["Dispatcher.DispatchOptions"] });
    expect(whole.findings.map((finding) => finding.symbol)).toContain("Dispatcher.DispatcherInterceptor");
    expect(used.findings.map((finding) => finding.symbol)).not.toContain("Dispatcher.DispatcherInterceptor");
    expect(used.stats.exportsFrom).toBeGreaterThan(0);
    expect(used.stats.exportsFrom * 4).toBeLessThan(whole.stats.exportsFrom);
  });

  it("…and a used export that was removed is still found", async () => {
    const [from, to] = [await loadRecorded("undici-types@6.11.1..6.19.8", "from"), await loadRecorded("undici-types@6.11.1..6.19.8", "to")];
    const used = diffDeclarations(from, to, { review: true, used: ["Dispatcher.DispatcherInterceptor"] });
    expect(used.findings).toContainEqual(expect.objectContaining({ rule: "api/export-removed", symbol: "Dispatcher.DispatcherInterceptor" }));
  });

  it("commander 12.0 → 12.1 for code that builds an Option: the member it lost is read through the class", async () => {
    const [from, to] = [await loadRecorded("commander@12.0.0..12.1.0", "from"), await loadRecorded("commander@12.0.0..12.1.0", "to")];
    const usage = await usageOf("commander", "src/cli.ts", 'import { Option } from "commander";\nconsole.log(new Option("-q").fullDescription());\n');
    const used = usedExports(usage);
    expect(used).toEqual(["Option"]);
    const diff = diffDeclarations(from, to, { review: false, ...(used ? { used } : {}) });
    expect(diff.findings).toContainEqual(expect.objectContaining({ rule: "api/member-removed", symbol: "Option" }));
  });
});

describe("which importing files the compiler checks (the type comparison runs for them only)", () => {
  const files = (...names: string[]) => ({ files: names.map((file) => ({ file, imports: [] })) });
  it("TypeScript always; JavaScript under checkJs, or in a project without a tsconfig (checked as checkJs would)", () => {
    expect(checkable(files("src/app.ts"), { file: "tsconfig.json" })).toBe(true);
    expect(checkable(files("server/monitor.js", "src/Chart.vue"), { file: "tsconfig.json" })).toBe(false);
    expect(checkable(files("server/monitor.js"), { file: "tsconfig.json", checkJs: true })).toBe(true);
    expect(checkable(files("server/monitor.cjs"), undefined)).toBe(true);
  });
});
