import { execFile } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../../../..");
const source = (file: string) => JSON.stringify(pathToFileURL(path.join(root, "src", file)).href);

// In a process of its own, as the CLI runs: what the main thread loads is the question.
const script = `
import { createRequire } from "node:module";
import { readProjectFacts } from ${source("ecosystems/npm/project.ts")};
import { scanUsage } from ${source("ecosystems/npm/usage/index.ts")};
import { adoptProjectThread } from ${source("ecosystems/npm/api/project-thread.ts")};
import { createApiDiffRunner } from ${source("ecosystems/npm/api/runner.ts")};
import { declarationsFromFiles } from ${source("ecosystems/npm/api/declarations.ts")};
const dir = process.argv[1];
const facts = await readProjectFacts(dir, { ecosystem: "npm", manager: "npm", lockfilePath: "package-lock.json", packages: [] });
const usage = (await scanUsage(dir, ["typed-fixture"])).packages.get("typed-fixture");
const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes("/node_modules/typescript/"));
const beforeDiff = loaded();
const runner = createApiDiffRunner({ timeoutMs: 20000, heapMb: 512, threads: 1 }, adoptProjectThread);
const side = (version, content) => declarationsFromFiles("typed-fixture", version, { package: "typed-fixture", version }, { types: "index.d.ts" }, [{ path: "index.d.ts", content }]);
const diff = await runner.diff(side("1.0.0", "export declare function connect(url: string): void;\\n"), side("1.1.0", "export declare function connect(url: string, retries: number): void;\\n"));
console.log(JSON.stringify({ compiler: facts.compiler, sites: usage.sites.map((site) => site.symbol + ":" + site.line), beforeDiff, afterDiff: loaded(), threads: runner.threadsStarted(), rules: diff.findings.map((finding) => finding.rule) }));
await runner.close();
`;

it("the project is read on the analysis thread, which the API diff then adopts: the main thread never loads TypeScript", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-project-thread-"));
  await mkdir(path.join(dir, "src"));
  await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "app", dependencies: { "typed-fixture": "1.0.0" } }));
  await writeFile(path.join(dir, "tsconfig.json"), '{ // a comment, as tsconfig allows\n "compilerOptions": { "module": "nodenext", "checkJs": true } }');
  await writeFile(path.join(dir, "src/app.js"), 'const { connect } = require("typed-fixture");\nconnect("db://local");\n');
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, dir], { cwd: root });
  expect(JSON.parse(stdout)).toEqual({
    compiler: { file: "tsconfig.json", module: "NodeNext", checkJs: true },
    sites: ["connect:2"],
    beforeDiff: false,
    afterDiff: false,
    // One thread: the one that read the project.
    threads: 1,
    rules: ["api/parameter-required-added"],
  });
}, 60_000);
