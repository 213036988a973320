import { createServer } from "node:http";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { create as tarCreate } from "tar";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { ApiDiff, ApiUnavailable } from "../../../../src/analysis/api-diff.js";
import { isDeclarationFile } from "../../../../src/ecosystems/npm/api/declarations.js";
import { createApiAnalyzer, maxJavaScriptDeclarationChars } from "../../../../src/ecosystems/npm/api/index.js";
import type { ProofProject } from "../../../../src/ecosystems/npm/api/proof.js";
import { type ApiDiffRunner, createApiDiffRunner } from "../../../../src/ecosystems/npm/api/runner.js";
import { loadRegistryOptions } from "../../../../src/ecosystems/npm/registry/config.js";
import { createNpmRegistry } from "../../../../src/ecosystems/npm/registry/npm.js";
import { createTarballReader } from "../../../../src/ecosystems/npm/registry/tarball.js";
import { openCache } from "../../../../src/registry/cache.js";
import { type FakeRegistry, startFakeRegistry } from "../../../helpers/fake-registry.js";
import { listenOnLoopback } from "../../../helpers/listen.js";

let registry: FakeRegistry;
let tarballs: { origin: string; close: () => Promise<void>; downloads: number };
beforeEach(async () => {
  registry = await startFakeRegistry();
  // A generated SDK (twilio's shape: megabytes of declarations), 4.4 MB a side; 1.1.0 adds a parameter to `send`.
  const packed = new Map<string, Buffer>();
  // 1.2.0 crosses the analysis cap (12 MB of declarations a tarball), as stripe 22.3 → 22.6 did.
  const shapes = [
    ["1.0.0", "to: string", ["calls", "messages"], 2_200_000],
    ["1.1.0", "to: string, body: string", ["calls", "messages"], 2_200_000],
    ["1.2.0", "to: string, body: string", ["calls", "messages", "queues", "rooms"], 3_300_000],
    // No declarations at all (and no @types/big-sdk): its types are lost.
    ["1.3.0", undefined, [], 0],
  ] as const;
  for (const [version, parameters, resources, size] of shapes) {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-big-sdk-"));
    await mkdir(path.join(dir, "package"));
    await writeFile(path.join(dir, "package", "package.json"), JSON.stringify({ name: "big-sdk", version, main: "index.js", types: "index.d.ts" }));
    // Resource files of 2.2 or 3.3 MB (a tarball member may have up to 4 MB).
    await writeFile(path.join(dir, "package", "index.js"), "module.exports = { send() {} };\n");
    if (parameters !== undefined) await writeFile(path.join(dir, "package", "index.d.ts"), `export declare function send(${parameters}): void;\n${resources.map((resource) => `export * from "./${resource}";\n`).join("")}`);
    for (const resource of resources) await writeFile(path.join(dir, "package", `${resource}.d.ts`), `export declare const ${resource}: string;\n${"// a generated resource\n".repeat(size / 24)}`);
    const chunks: Buffer[] = [];
    for await (const chunk of tarCreate({ gzip: true, cwd: dir }, ["package"]) as AsyncIterable<Buffer>) chunks.push(chunk);
    packed.set(`/big-sdk-${version}.tgz`, Buffer.concat(chunks));
  }
  const server = createServer((request, response) => {
    const body = packed.get(request.url ?? "");
    if (!body) return void response.writeHead(404).end();
    state.downloads++;
    response.writeHead(200, { "content-type": "application/octet-stream" }).end(body);
  });
  const state = { ...(await listenOnLoopback(server)), downloads: 0 };
  tarballs = state;
  const version = (v: string) => ({ name: "big-sdk", version: v, main: "index.js", types: "index.d.ts", dist: { tarball: `${state.origin}/big-sdk-${v}.tgz` } });
  registry.publish("big-sdk", { name: "big-sdk", "dist-tags": { latest: "1.2.0" }, versions: Object.fromEntries(shapes.map(([v]) => [v, version(v)])), time: Object.fromEntries(shapes.map(([v], at) => [v, `2026-0${at + 1}-01T00:00:00.000Z`])) });
});
afterEach(async () => {
  await registry.close();
  await tarballs.close();
});

async function compare(javascriptOnly: boolean, cacheDir: string, to = "1.1.0", project?: ProofProject): Promise<{ result: ApiDiff | ApiUnavailable; compiled: number }> {
  const projectDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-project-"));
  const options = await loadRegistryOptions({ projectDir, registry: registry.url, env: { npm_config_fetch_retries: "0", HOME: os.tmpdir() } });
  const cache = openCache(cacheDir);
  const real = createApiDiffRunner({ timeoutMs: 20_000, heapMb: 512, threads: 1 });
  let compiled = 0;
  const runner: ApiDiffRunner = { ...real, diff: (...args) => (compiled++, real.diff(...args)) };
  const npm = createNpmRegistry({ options, cache });
  const analyzer = createApiAnalyzer({ registry: npm, tarballs: createTarballReader({ options, keep: { bounded: isDeclarationFile } }), cache, runner, budgetKey: "test" });
  try {
    const [older, newer] = await Promise.all([npm.manifest("big-sdk", "1.0.0"), npm.manifest("big-sdk", to)]);
    return { result: await analyzer.diff("big-sdk", older, newer, { javascriptOnly, used: ["send"], ...(project ? { project } : {}) }), compiled };
  } finally {
    await analyzer.close();
    await cache.flush();
  }
}

it("a package only JavaScript imports is not compiled past the declarations bound; the answer is kept, and TypeScript importers are compared", async () => {
  expect(4_400_000).toBeGreaterThan(maxJavaScriptDeclarationChars);
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-cache-"));
  const first = await compare(true, cacheDir);
  expect(first.compiled).toBe(0);
  expect(first.result).toEqual({ unavailable: expect.stringMatching(/^its declarations are 4\.4 MB a side, past the work bound for a package only JavaScript imports \(4 MB, the same on every machine\)/) });
  const downloads = tarballs.downloads;
  const again = await compare(true, cacheDir);
  expect(again.result).toEqual(first.result);
  expect(tarballs.downloads).toBe(downloads);
  const typescript = await compare(false, cacheDir);
  expect(typescript.compiled).toBe(1);
  expect((typescript.result as ApiDiff).findings).toContainEqual(expect.objectContaining({ symbol: "send", tier: "confident" }));
}, 90_000);

it("a version whose declarations cross the analysis cap has not lost them: the pair is not compared, and the answer is kept", async () => {
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-cache-"));
  const first = await compare(false, cacheDir, "1.2.0");
  expect(first.compiled).toBe(0);
  expect(first.result).toEqual({ unavailable: expect.stringMatching(/^big-sdk@1\.2\.0 ships 5 declaration files, over the analysis cap \(4000 files, 12 MB\): not compared$/) });
  const downloads = tarballs.downloads;
  expect((await compare(false, cacheDir, "1.2.0")).result).toEqual(first.result);
  expect(tarballs.downloads).toBe(downloads);
}, 90_000);

it("types lost are the pair's answer for a project too: nothing to typecheck it against, and a re-run downloads nothing", async () => {
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-cache-"));
  const project: ProofProject = { dir: os.tmpdir(), files: ["src/notify.ts"], truncated: false, importedAs: "big-sdk", fingerprint: "code" };
  const first = await compare(false, cacheDir, "1.3.0", project);
  expect((first.result as ApiDiff).findings).toEqual([expect.objectContaining({ rule: "api/entry-types-lost", message: expect.stringContaining("big-sdk@1.3.0 no longer has type declarations") })]);
  const downloads = tarballs.downloads;
  expect((await compare(false, cacheDir, "1.3.0", project)).result).toEqual(first.result);
  expect(tarballs.downloads).toBe(downloads);
}, 90_000);
