// Records both versions' published declarations for API-diff fixtures, from the live registry.
// Usage: npx tsx scripts/record-api.ts [--probe] NAME@FROM..TO [NAME@FROM..TO …]
// Writes fixtures/api/<name>@<from>..<to>/{from,to}/: the .d.ts files exactly as published plus
// declarations.json (source, trimmed manifest). --probe prints the diff instead of writing.
import { mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { loadDeclarations } from "../src/analysis/api/declarations.js";
import { diffDeclarations } from "../src/analysis/api/diff.js";
import type { PackageDeclarations } from "../src/analysis/api/types.js";
import { openCache } from "../src/registry/cache.js";
import { loadRegistryOptions } from "../src/registry/config.js";
import { createNpmRegistry } from "../src/registry/npm.js";
import { createTarballReader } from "../src/registry/tarball.js";

const root = path.resolve(import.meta.dirname, "..");
const probe = process.argv.includes("--probe");
const cacheDir = path.join(os.tmpdir(), "bumpwise-record-api-cache");
const options = await loadRegistryOptions({ projectDir: root, env: process.env });
const registry = createNpmRegistry({ options, cache: openCache(cacheDir) });
const tarballs = createTarballReader({ options, cacheDir });

for (const spec of process.argv.slice(2).filter((arg) => !arg.startsWith("--"))) {
  const match = /^(.+)@([^@]+)\.\.([^@]+)$/.exec(spec);
  if (!match) throw new Error(`expected NAME@FROM..TO, got ${spec}`);
  const [, name = "", from = "", to = ""] = match;
  const sides: PackageDeclarations[] = [];
  for (const version of [from, to]) {
    const declarations = await loadDeclarations({ registry, tarballs }, { ...(await registry.manifest(name, version)), name });
    if ("unavailable" in declarations) throw new Error(declarations.unavailable);
    sides.push(declarations);
  }
  const [before, after] = sides as [PackageDeclarations, PackageDeclarations];
  if (probe) {
    const diff = diffDeclarations(before, after, { review: !process.argv.includes("--confident") });
    console.log(`${spec}: ${diff.stats.exportsFrom}→${diff.stats.exportsTo} exports, ${diff.stats.milliseconds} ms, entries ${diff.entries.from.length}→${diff.entries.to.length}`);
    for (const finding of diff.findings.filter((item) => item.tier !== "info")) {
      console.log(`  ${finding.tier.padEnd(9)} ${finding.rule} ${finding.symbol}: ${finding.message}${finding.detail ? `\n            ${finding.detail}` : ""}`);
    }
    continue;
  }
  const dir = path.join(root, "fixtures", "api", `${name.replace("/", "__")}@${from}..${to}`);
  await rm(dir, { recursive: true, force: true });
  for (const [side, declarations] of [["from", before], ["to", after]] as const) {
    for (const [file, content] of Object.entries(declarations.files)) {
      await mkdir(path.dirname(path.join(dir, side, file)), { recursive: true });
      await writeFile(path.join(dir, side, file), content);
    }
    const { name: packageName, version, source, manifest } = declarations;
    await writeFile(path.join(dir, side, "declarations.json"), `${JSON.stringify({ name: packageName, version, source, manifest }, null, 2)}\n`);
  }
  console.log(`${path.relative(root, dir)}: ${Object.keys(before.files).length} + ${Object.keys(after.files).length} files`);
}
