import { createServer } from "node:http";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { create as tarCreate } from "tar";
import { afterEach, beforeEach, expect, it } from "vitest";
import { isDeclarationFile, loadDeclarations } from "../../../../src/ecosystems/npm/api/declarations.js";
import { loadRegistryOptions } from "../../../../src/ecosystems/npm/registry/config.js";
import { createNpmRegistry } from "../../../../src/ecosystems/npm/registry/npm.js";
import { createTarballReader } from "../../../../src/ecosystems/npm/registry/tarball.js";
import { openCache } from "../../../../src/registry/cache.js";
import { type FakeRegistry, startFakeRegistry } from "../../../helpers/fake-registry.js";
import { listenOnLoopback } from "../../../helpers/listen.js";

// react-query 5.51's shape: a package whose declarations import its peer ("ui-kit": "^1.0.0 || ^2.0.0"); the
// newest the range takes is 2.3.0, the project has 1.5.0.
const packages = [
  { name: "query-lib", version: "5.51.0", manifest: { types: "index.d.ts", peerDependencies: { "ui-kit": "^1.0.0 || ^2.0.0" } }, declarations: 'import type { Element } from "ui-kit";\nexport declare function useQuery(): Element;\n' },
  { name: "ui-kit", version: "1.5.0", manifest: { types: "index.d.ts" }, declarations: "export interface Element { legacy: true }\n" },
  { name: "ui-kit", version: "2.3.0", manifest: { types: "index.d.ts" }, declarations: "export interface Element { modern: true }\n" },
];

let registry: FakeRegistry;
let tarballs: { origin: string; close: () => Promise<void> };
beforeEach(async () => {
  registry = await startFakeRegistry();
  const packed = new Map<string, Buffer>();
  for (const { name, version, manifest, declarations } of packages) {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-copies-"));
    await mkdir(path.join(dir, "package"));
    await writeFile(path.join(dir, "package", "package.json"), JSON.stringify({ name, version, ...manifest }));
    await writeFile(path.join(dir, "package", "index.d.ts"), declarations);
    const chunks: Buffer[] = [];
    for await (const chunk of tarCreate({ gzip: true, cwd: dir }, ["package"]) as AsyncIterable<Buffer>) chunks.push(chunk);
    packed.set(`/${name}-${version}.tgz`, Buffer.concat(chunks));
  }
  tarballs = await listenOnLoopback(createServer((request, response) => {
    const body = packed.get(request.url ?? "");
    if (!body) return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": "application/octet-stream" }).end(body);
  }));
  for (const name of new Set(packages.map((entry) => entry.name))) {
    const versions = packages.filter((entry) => entry.name === name);
    registry.publish(name, {
      name,
      "dist-tags": { latest: versions.at(-1)?.version },
      versions: Object.fromEntries(versions.map((entry) => [entry.version, { name, version: entry.version, ...entry.manifest, dist: { tarball: `${tarballs.origin}/${name}-${entry.version}.tgz` } }])),
      time: Object.fromEntries(versions.map((entry, at) => [entry.version, `2026-0${at + 1}-01T00:00:00.000Z`])),
    });
  }
});
afterEach(async () => {
  await registry.close();
  await tarballs.close();
});

async function dependencyOf(installed?: ReadonlyMap<string, string>) {
  const projectDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-project-"));
  const options = await loadRegistryOptions({ projectDir, registry: registry.url, env: { npm_config_fetch_retries: "0", HOME: os.tmpdir() } });
  const npm = createNpmRegistry({ options, cache: openCache(await mkdtemp(path.join(os.tmpdir(), "bumpwise-cache-"))) });
  const manifest = await npm.manifest("query-lib", "5.51.0");
  const declarations = await loadDeclarations({ registry: npm, tarballs: createTarballReader({ options, keep: { bounded: isDeclarationFile } }) }, { ...manifest, name: "query-lib" }, installed);
  if ("unavailable" in declarations) throw new Error(declarations.unavailable);
  return declarations.dependencies?.map((dependency) => `${dependency.name}@${dependency.version}`);
}

it("a peer the declarations import is the project's own copy, not the newest its range takes", async () => {
  expect(await dependencyOf()).toEqual(["ui-kit@2.3.0"]);
  expect(await dependencyOf(new Map([["ui-kit", "1.5.0"]]))).toEqual(["ui-kit@1.5.0"]);
}, 60_000);
