import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type ProofProject, proveWithProject } from "../../../../src/ecosystems/npm/api/proof.js";
import { statementsOn } from "../../../../src/ecosystems/npm/api/region.js";
import { configGroups } from "../../../../src/ecosystems/npm/api/project-configs.js";
import ts from "typescript";
import { createApiDiffRunner } from "../../../../src/ecosystems/npm/api/runner.js";
import { apiSignals } from "../../../../src/ecosystems/npm/api/signals.js";
import type { ApiDiff } from "../../../../src/analysis/api-diff.js";
import type { PackageDeclarations } from "../../../../src/ecosystems/npm/api/types.js";
import { declarationsFromFiles } from "../../../../src/ecosystems/npm/api/declarations.js";
import { diffDeclarations } from "../../../../src/ecosystems/npm/api/diff.js";
import { emptyUsage } from "../../../../src/usage/record.js";
import { scanUsage } from "../../../../src/ecosystems/npm/usage/index.js";
import { scanSource } from "../../../../src/ecosystems/npm/usage/parse.js";
import { loadRecorded } from "../../../helpers/api-fixtures.js";
import { usageOf } from "../../../helpers/project.js";

const pair = "commander@12.0.0..12.1.0";

async function project(source: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-proof-"));
  await mkdir(path.join(dir, "src"));
  await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", noEmit: true } }));
  await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "app", type: "module" }));
  await writeFile(path.join(dir, "src/cli.ts"), source);
  return dir;
}

const usesRemovedMember = `import { Option } from "commander";\nconst option = new Option("-d, --debug", "debug output");\nconsole.log(option.fullDescription());\n`;
const usesOnlyCommand = `import { Command } from "commander";\nconst program = new Command();\nprogram.option("-d, --debug");\n`;

/** A JavaScript project with no config and one file, and the use sites of `name` the scanner records in it. */
async function javascriptProject(name: string, file: string, source: string): Promise<ProofProject> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-js-"));
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "app" }));
  await writeFile(path.join(dir, file), source);
  const usage = (await scanUsage(dir, [name])).packages.get(name);
  const sites = [...(usage?.sites ?? []), ...(usage?.requires ?? [])].map((site) => ({ file: site.file, line: site.line }));
  return { dir, files: [file], truncated: false, importedAs: name, sites };
}

describe("the project decides severity and proves breaks", () => {
  const runner = createApiDiffRunner({ timeoutMs: 20_000, heapMb: 512, threads: 1 });
  afterAll(() => runner.close());

  it("a file calling a removed method fails to typecheck against the new declarations only", async () => {
    const dir = await project(usesRemovedMember);
    const proof = proveWithProject({ dir, files: ["src/cli.ts"], truncated: false, importedAs: "commander" }, await loadRecorded(pair, "from"), await loadRecorded(pair, "to"));
    expect(proof).toMatchObject({ checkedFiles: 1, complete: true });
    expect("diagnostics" in proof && proof.diagnostics).toEqual([{ file: path.join("src", "cli.ts"), line: 3, message: expect.stringContaining("fullDescription") }]);
  });

  it("the diff runs on a worker thread; the proof turns the finding into breaking (proven) for a project that uses it", async () => {
    const dir = await project(usesRemovedMember);
    const [from, to] = [await loadRecorded(pair, "from"), await loadRecorded(pair, "to")];
    const diff = (await runner.diff(from, to)) as ApiDiff;
    expect(diff.findings).toContainEqual(expect.objectContaining({ rule: "api/member-removed", tier: "confident", symbol: "Option" }));
    const usage = (await scanUsage(dir, ["commander"])).packages.get("commander");
    expect(usage?.uses.get("Option")).toEqual(["construct"]);
    const proof = await runner.prove({ dir, files: ["src/cli.ts"], truncated: false, importedAs: "commander" }, from, to);
    const { signals, affectsYou } = apiSignals({ ...diff, proof }, usage, "12.1.0");
    expect(affectsYou).toBe(true);
    expect(signals).toContainEqual(expect.objectContaining({ rule: "api/member-removed", severity: "breaking" }));
    expect(signals).toContainEqual(expect.objectContaining({ rule: "api/proven", severity: "breaking", message: expect.stringContaining("src/cli.ts:3") }));
  });

  it("a project whose code still typechecks gets the finding as info", async () => {
    const dir = await project(usesOnlyCommand);
    const [from, to] = [await loadRecorded(pair, "from"), await loadRecorded(pair, "to")];
    const diff = (await runner.diff(from, to)) as ApiDiff;
    const usage = (await scanUsage(dir, ["commander"])).packages.get("commander");
    const proof = await runner.prove({ dir, files: ["src/cli.ts"], truncated: false, importedAs: "commander" }, from, to);
    expect(proof).toEqual({ checkedFiles: 1, complete: true, diagnostics: [] });
    const { signals, affectsYou } = apiSignals({ ...diff, proof }, usage, "12.1.0");
    expect(affectsYou).toBe(false);
    expect(signals.filter((signal) => signal.severity !== "info")).toEqual([]);
    // Command reaches Option, but the code never touches the removed member: one folded info line.
    expect(signals).toContainEqual(expect.objectContaining({ rule: "api/unused", severity: "info", message: expect.stringContaining("api/member-removed ×1") }));
    expect(signals).toContainEqual(expect.objectContaining({ rule: "api/typechecks", severity: "info" }));
  });

  it("a pair over its time budget is stopped with a note instead of holding the review", async () => {
    const tight = createApiDiffRunner({ timeoutMs: 1, heapMb: 256, threads: 1 });
    const result = await tight.diff(await loadRecorded("axios@1.2.0..1.3.0", "from"), await loadRecorded("axios@1.2.0..1.3.0", "to"));
    await tight.close();
    expect(result).toEqual({ unavailable: expect.stringContaining("budget") });
  });

  it("a typecheck over its budget stops itself and says so, and the thread goes on to the next job", async () => {
    const tight = createApiDiffRunner({ timeoutMs: 1, heapMb: 256, threads: 1 });
    try {
      const dir = await project(usesRemovedMember);
      const [from, to] = [await loadRecorded(pair, "from"), await loadRecorded(pair, "to")];
      for (let run = 0; run < 2; run++) {
        expect(await tight.prove({ dir, files: ["src/cli.ts"], truncated: false, importedAs: "commander" }, from, to)).toEqual({ skipped: "the typecheck went over its 0.001 s budget" });
      }
      // Neither stopped typecheck cost a thread: one was started, none replaced.
      expect(tight.threadsStarted()).toBe(1);
    } finally {
      await tight.close();
    }
  });

  it("use kinds come from the use site", () => {
    const source = `import axios, { AxiosError, type AxiosRequestConfig } from "axios";\nclass Retry extends AxiosError {}\nconst config: AxiosRequestConfig = {};\nawait axios.get("/", config);\n`;
    const scan = scanSource(source, "a.ts");
    if ("error" in scan) throw new Error(scan.error);
    const kinds = (symbol: string) => scan.uses.filter((use) => use.symbol === symbol).map((use) => use.kind);
    expect(kinds("AxiosError")).toEqual(["extend"]);
    expect(kinds("AxiosRequestConfig")).toEqual(["type"]);
    expect(kinds("get")).toEqual(["call"]);
  });
});

describe("a monorepo's files are checked with their own tsconfig (ghostfolio, an Nx workspace, has none at its root)", () => {
  it("finds each importing file's nearest config, through a solution-style tsconfig to the referenced one that includes it", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-monorepo-"));
    const write = async (file: string, content: string) => {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), content);
    };
    await write("package.json", JSON.stringify({ name: "workspace", type: "module" }));
    await write("tsconfig.base.json", JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022" } }));
    await write("apps/api/tsconfig.json", JSON.stringify({ extends: "../../tsconfig.base.json", files: [], include: [], references: [{ path: "./tsconfig.app.json" }] }));
    await write("apps/api/tsconfig.app.json", JSON.stringify({ extends: "../../tsconfig.base.json", include: ["src/**/*.ts"] }));
    await write("apps/api/src/cli.ts", usesRemovedMember);
    await write("libs/tools/tsconfig.json", JSON.stringify({ extends: "../../tsconfig.base.json", include: ["src"] }));
    await write("libs/tools/src/program.ts", usesOnlyCommand);
    const files = ["apps/api/src/cli.ts", "libs/tools/src/program.ts"];
    expect(configGroups(dir, files).map((group) => [path.relative(dir, group.config ?? ""), group.files])).toEqual([
      [path.join("apps", "api", "tsconfig.app.json"), ["apps/api/src/cli.ts"]],
      [path.join("libs", "tools", "tsconfig.json"), ["libs/tools/src/program.ts"]],
    ]);
    const proof = proveWithProject({ dir, files, truncated: false, importedAs: "commander" }, await loadRecorded(pair, "from"), await loadRecorded(pair, "to"));
    expect(proof).toMatchObject({ checkedFiles: 2, complete: true });
    expect("diagnostics" in proof && proof.diagnostics.map((diagnostic) => `${diagnostic.file}:${diagnostic.line}`)).toEqual([`${path.join("apps", "api", "src", "cli.ts")}:3`]);
  });
});

describe("a use-site check looks at the statements on the use-site lines, as an editor's region check does", () => {
  const source = [
    "const agent = require(\"agent\");", // 1
    "class Monitor {", // 2
    "  async check() {", // 3
    "    const a = 1;", // 4
    "    agent.connect({", // 5
    "      port: a,", // 6
    "    });", // 7
    "    return a;", // 8
    "  }", // 9
    "}", // 10
  ].join("\n");
  const file = ts.createSourceFile("monitor.js", source, ts.ScriptTarget.ES2022, true);
  const texts = (lines: number[]) => statementsOn(file, new Set(lines))?.map((node) => node.getText(file).split("\n")[0]);

  it("picks the statement inside the method, not the class or the method", () => {
    expect(texts([5])).toEqual(["agent.connect({"]);
    expect(texts([6])).toEqual(["agent.connect({"]);
    expect(texts([1, 8])).toEqual(["const agent = require(\"agent\");", "return a;"]);
  });

  it("a line past the end gives no region (the whole file is checked)", () => {
    expect(statementsOn(file, new Set([40]))).toBeUndefined();
  });
});

describe("a CommonJS default export that goes away (socks-proxy-agent 6.1.1 → 6.2.1, recorded)", () => {
  const pair = "socks-proxy-agent@6.1.1..6.2.1";
  it("is breaking for a project that calls the module value, pointing at the call", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-cjs-"));
    await mkdir(path.join(dir, "src"));
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "app", dependencies: { "socks-proxy-agent": "6.1.1" } }));
    await writeFile(path.join(dir, "src/upstream.js"), 'const createSocksProxyAgent = require("socks-proxy-agent");\n\nconst agent = createSocksProxyAgent(process.env.SOCKS_PROXY);\nmodule.exports = { agent };\n');
    const diff = diffDeclarations(await loadRecorded(pair, "from"), await loadRecorded(pair, "to"), { review: true });
    const usage = (await scanUsage(dir, ["socks-proxy-agent"])).packages.get("socks-proxy-agent");
    const { signals, affectsYou } = apiSignals(diff, usage, "6.2.1");
    expect(affectsYou).toBe(true);
    expect(signals).toContainEqual(expect.objectContaining({ rule: "api/export-removed", severity: "breaking", touches: [{ file: "src/upstream.js", line: 3 }] }));
  });

  it("a JavaScript project without a config is checked as checkJs would at its use sites: the call is proven broken", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-cjs-"));
    await mkdir(path.join(dir, "src"));
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "app", dependencies: { "socks-proxy-agent": "6.1.1" } }));
    await writeFile(path.join(dir, "src/upstream.js"), 'const createSocksProxyAgent = require("socks-proxy-agent");\n\nconst agent = createSocksProxyAgent(process.env.SOCKS_PROXY);\nconst sum = "a" * 2;\nmodule.exports = { agent, sum };\n');
    const usage = (await scanUsage(dir, ["socks-proxy-agent"])).packages.get("socks-proxy-agent")!;
    const sites = [...usage.sites, ...usage.requires].map(({ file, line }) => ({ file, line }));
    const proof = proveWithProject({ dir, files: ["src/upstream.js"], truncated: false, importedAs: "socks-proxy-agent", sites }, await loadRecorded(pair, "from"), await loadRecorded(pair, "to"));
    // Line 4's own type error is the file's, not the bump's: only new diagnostics at use sites count.
    expect("diagnostics" in proof && proof.diagnostics.map((diagnostic) => diagnostic.line)).toEqual([3]);
    const diff = diffDeclarations(await loadRecorded(pair, "from"), await loadRecorded(pair, "to"), { review: true });
    const { signals } = apiSignals({ ...diff, proof }, usage, "6.2.1");
    expect(signals).toContainEqual(expect.objectContaining({ rule: "api/proven", severity: "breaking", strength: "proven", touches: [{ file: "src/upstream.js", line: 3 }] }));
  });

  it("…and a JavaScript project whose use sites still check gets no proof of a break", async () => {
    const project = await javascriptProject("commander", "src/cli.js", 'const { Command } = require("commander");\nconst program = new Command();\nprogram.option("-d, --debug");\n');
    const proof = proveWithProject(project, await loadRecorded("commander@12.0.0..12.1.0", "from"), await loadRecorded("commander@12.0.0..12.1.0", "to"));
    expect(proof).toEqual({ checkedFiles: 1, complete: true, diagnostics: [] });
  });

  it("JavaScript a tsconfig does not check (no checkJs, uptime-kuma's case) is checked at its use sites all the same, and its TypeScript whole", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-cjs-"));
    await mkdir(path.join(dir, "src"));
    // strict, as uptime-kuma's tsconfig is: the JavaScript is checked loosely anyway, as checkJs would with no config.
    await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, module: "commonjs", target: "es2018", esModuleInterop: true }, files: [] }));
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "app", dependencies: { "socks-proxy-agent": "6.1.1" } }));
    await writeFile(path.join(dir, "src/upstream.js"), 'const createSocksProxyAgent = require("socks-proxy-agent");\n\nconst agent = createSocksProxyAgent(process.env.SOCKS_PROXY);\nconst sum = "a" * 2;\nmodule.exports = { agent, sum };\n');
    await writeFile(path.join(dir, "src/types.ts"), 'import type { SocksProxyAgentOptions } from "socks-proxy-agent";\nexport const options: SocksProxyAgentOptions = { hostname: "localhost" };\n');
    const usage = (await scanUsage(dir, ["socks-proxy-agent"])).packages.get("socks-proxy-agent")!;
    const sites = [...usage.sites, ...usage.requires].map(({ file, line }) => ({ file, line }));
    const files = usage.files.map((file) => file.file).sort();
    expect(files).toEqual(["src/types.ts", "src/upstream.js"]);
    const proof = proveWithProject({ dir, files, truncated: false, importedAs: "socks-proxy-agent", sites }, await loadRecorded(pair, "from"), await loadRecorded(pair, "to"));
    expect(proof).toMatchObject({ checkedFiles: 2, complete: true });
    expect("diagnostics" in proof && proof.diagnostics.map((diagnostic) => `${diagnostic.file}:${diagnostic.line}`)).toEqual(["src/upstream.js:3"]);
  });

  it("a project that does not use the package gets one count line, not a breaking signal", async () => {
    const diff = diffDeclarations(await loadRecorded(pair, "from"), await loadRecorded(pair, "to"), { review: true });
    const { signals } = apiSignals(diff, { ...emptyUsage("socks-proxy-agent"), files: [{ file: "src/other.js", imports: [] }] }, "6.2.1");
    expect(signals.filter((signal) => signal.severity !== "info")).toEqual([]);
    expect(signals).toContainEqual(expect.objectContaining({ rule: "api/unused", message: expect.stringMatching(/^1 API change\(s\) on symbols this project does not use \(api\/export-removed ×1\)/) }));
  });
});

describe("a package that re-exports a dependency's API (redis → @redis/client) is checked over that side's dependency", () => {
  const core = (version: string, signature: string) =>
    declarationsFromFiles("@demo/core", version, { package: "@demo/core", version }, { types: "index.d.ts" }, [{ path: "index.d.ts", content: `export interface Client { get(key: string): string }\nexport declare function createClient(${signature}): Client;\n` }]);
  const wrapper = (version: string, dependency?: PackageDeclarations) => ({
    ...declarationsFromFiles("wrap", version, { package: "wrap", version }, { types: "index.d.ts" }, [{ path: "index.d.ts", content: 'export * from "@demo/core";\n' }]),
    ...(dependency ? { dependencies: [dependency] } : {}),
  });
  const cache = () => javascriptProject("wrap", "src/cache.js", 'const { createClient } = require("wrap");\nconst client = createClient("redis://localhost");\nmodule.exports = { client };\n');

  it("proves the call broken when the new dependency changed the function it re-exports", async () => {
    const project = await cache();
    const proof = proveWithProject(project, wrapper("1.0.0", core("1.0.0", "url: string")), wrapper("1.1.0", core("2.0.0", "options: { url: string }")));
    expect("diagnostics" in proof && proof.diagnostics.map((diagnostic) => `${diagnostic.file}:${diagnostic.line}`)).toEqual(["src/cache.js:2"]);
  });

  it("a use site the compiler cannot resolve under either version is not judged, and a clean result does not clear it", async () => {
    const project = await cache();
    const proof = proveWithProject(project, wrapper("1.0.0"), wrapper("1.1.0"));
    expect(proof).toMatchObject({ checkedFiles: 1, complete: true, diagnostics: [], unjudged: 1 });
    // The diff sees the required parameter the new client added; the typecheck, without the client, could not.
    const diff = diffDeclarations(wrapper("1.0.0", core("1.0.0", "url: string")), wrapper("1.1.0", core("2.0.0", "url: string, options: { tls: boolean }")), { review: false });
    expect(diff.findings.map((finding) => finding.tier)).toContain("confident");
    const usage = (await scanUsage(project.dir, ["wrap"])).packages.get("wrap");
    const { signals } = apiSignals({ ...diff, proof }, usage, "1.1.0");
    expect(signals).toContainEqual(expect.objectContaining({ rule: "api/typechecks", message: expect.stringContaining("1 use site(s) had the same type error with the old declarations") }));
    expect(signals.filter((signal) => signal.severity !== "info").length).toBeGreaterThan(0);
  });
});

describe("JavaScript runs whether or not the compiler finds the package's types (dotenv 8.2 → 8.6's shape)", () => {
  it("a use site whose package types no longer resolve under Node16 is not judged, and nothing is proven", async () => {
    const declarations = "export interface Options { path?: string }\nexport declare function config(options?: Options): void;\n";
    const before = declarationsFromFiles("envy", "8.2.0", { package: "envy", version: "8.2.0" }, { main: "lib/main.js", types: "types/index.d.ts" }, [{ path: "types/index.d.ts", content: declarations }]);
    // An exports map without a types condition: require() reaches lib/main.js, the compiler no declarations.
    const after = declarationsFromFiles("envy", "8.6.0", { package: "envy", version: "8.6.0" }, { main: "lib/main.js", types: "types/index.d.ts", exports: { ".": "./lib/main.js" } }, [{ path: "types/index.d.ts", content: declarations }]);
    const project = await javascriptProject("envy", "src/server.js", 'require("envy").config();\nconst port = process.env.PORT;\nmodule.exports = { port };\n');
    const proof = proveWithProject(project, before, after);
    expect(proof).toEqual({ checkedFiles: 1, complete: true, diagnostics: [], unjudged: 1 });
  });
});

describe("the module's own value gone (`export =` removed, named exports kept: zod 4.4 → 4.6's shape for spliit)", () => {
  const side = (version: string, content: string) => declarationsFromFiles("schema-kit", version, { package: "schema-kit", version }, { types: "index.d.ts" }, [{ path: "index.d.ts", content }]);
  const diff = () =>
    diffDeclarations(
      side("4.4.3", "declare namespace kit {\n  function object(shape: object): object;\n}\ndeclare function kit(shape: object): object;\nexport = kit;\n"),
      side("4.6.7", "export declare function object(shape: object): object;\n"),
      { review: false },
    );
  const severity = async (file: string, source: string) => {
    const found = diff();
    expect(found.findings).toContainEqual(expect.objectContaining({ rule: "api/export-removed", symbol: "export=" }));
    const usage = await usageOf("schema-kit", file, source);
    return apiSignals(found, usage, "4.6.7").signals.find((signal) => signal.rule === "api/export-removed")?.severity;
  };

  it("does not reach `import * as kit` using its named exports", async () => {
    expect(await severity("src/schemas.ts", 'import * as kit from "schema-kit";\nexport const user = kit.object({});\n')).toBeUndefined();
  });

  it("reaches code that calls the module or imports it as a default", async () => {
    expect(await severity("src/schemas.js", 'const kit = require("schema-kit");\nmodule.exports = kit({});\n')).toBe("breaking");
    expect(await severity("src/schemas.ts", 'import kit from "schema-kit";\nexport const user = kit.object({});\n')).toBe("breaking");
  });
});

describe("an implicit any under the new declarations, with packages the code imports not installed (spliit's ts-pattern over a zod-typed env)", () => {
  const side = (version: string, handler: string) => declarationsFromFiles("matcher", version, { package: "matcher", version }, { types: "index.d.ts" }, [{ path: "index.d.ts", content: `export declare function match<T>(value: T): { with(pattern: unknown, handler: ${handler}): void };\n` }]);
  const check = async (source: string) => {
    const dir = await project(source);
    return proveWithProject({ dir, files: ["src/cli.ts"], truncated: false, importedAs: "matcher" }, side("5.9.0", "(value: T) => unknown"), side("5.9.2", "Function"));
  };

  it("is not proof when the value comes from a package not installed here: the site is not judged", async () => {
    const proof = await check('import { match } from "matcher";\nimport { env } from "env-kit";\nmatch(env.provider).with("console", (provider) => provider);\n');
    expect(proof).toEqual({ checkedFiles: 1, complete: true, diagnostics: [], unjudged: 1 });
  });

  it("is proof when the code's own types are all there", async () => {
    const proof = await check('import { match } from "matcher";\nconst provider: string = "console";\nmatch(provider).with("console", (chosen) => chosen);\n');
    expect("diagnostics" in proof && proof.diagnostics).toEqual([{ file: path.join("src", "cli.ts"), line: 3, message: expect.stringContaining("implicitly has an 'any' type") }]);
  });
});

describe("protected and _-prefixed members matter only to code that extends the class", () => {
  const side = (version: string, body: string) =>
    declarationsFromFiles("queue-lib", version, { package: "queue-lib", version }, { types: "index.d.ts" }, [{ path: "index.d.ts", content: `export declare class Queue {\n  push(job: string): void;\n${body}}\n` }]);
  const diff = () => diffDeclarations(side("1.0.0", "  protected drain(): void;\n  _tick(): void;\n"), side("1.1.0", ""), { review: true });
  const usageOf = (source: string) => {
    const scan = scanSource(source, "src/jobs.ts");
    if ("error" in scan) throw new Error(scan.error);
    const usage = { ...emptyUsage("queue-lib"), files: [{ file: "src/jobs.ts", imports: scan.imports }] };
    for (const use of scan.uses) if (!use.derived) usage.uses.set(use.symbol, [...(usage.uses.get(use.symbol) ?? []), use.kind]);
    return usage;
  };

  it("is info for code that only constructs and calls the class", () => {
    const { signals } = apiSignals(diff(), usageOf('import { Queue } from "queue-lib";\nnew Queue().push("a");\n'), "1.1.0");
    expect(diff().findings).toContainEqual(expect.objectContaining({ rule: "api/member-removed", audience: "subclasses", message: "Queue lost 2 protected or _-prefixed members that subclasses use: drain, _tick" }));
    expect(signals.filter((signal) => signal.severity !== "info")).toEqual([]);
  });

  it("is breaking for code that extends it", () => {
    const { signals } = apiSignals(diff(), usageOf('import { Queue } from "queue-lib";\nclass Jobs extends Queue {}\nnew Jobs();\n'), "1.1.0");
    expect(signals).toContainEqual(expect.objectContaining({ rule: "api/member-removed", severity: "breaking", message: expect.stringContaining("this project uses Queue (extend)") }));
  });
});

describe("a required member added matters only to code that builds the type (undici-types 6.2 → 6.6, recorded)", () => {
  it("is info for code that only reads the type's values, breaking for code that names it to build one", async () => {
    const pair = "undici-types@6.2.0..6.6.0";
    const diff = diffDeclarations(await loadRecorded(pair, "from"), await loadRecorded(pair, "to"), { review: false });
    const required = diff.findings.find((finding) => finding.rule === "api/required-member-added" || finding.rule === "api/member-now-required");
    if (!required) throw new Error(`no required-member finding in ${pair}`);
    const root = required.symbol.split(".")[0] ?? "";
    const usage = (kind: "read" | "type") => ({ ...emptyUsage("undici-types"), files: [{ file: "src/a.ts", imports: [] }], uses: new Map([[root, [kind]]]) });
    const severity = (kind: "read" | "type") => apiSignals({ ...diff, findings: [required] }, usage(kind), "6.6.0").signals.find((signal) => signal.rule === required.rule || signal.rule === "api/unused")?.severity;
    expect(severity("read")).toBe("info");
    expect(severity("type")).toBe("breaking");
  });
});
