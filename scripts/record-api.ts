// Records both versions' published declarations for API-diff fixtures, from the live registry.
// Usage: npx tsx scripts/record-api.ts [--probe] NAME@FROM..TO [NAME@FROM..TO …]
// Writes fixtures/api/<name>@<from>..<to>/{from,to}/: the .d.ts files exactly as published plus
// declarations.json (source, trimmed manifest). --probe prints the diff instead of writing.
// --main-entry-only keeps only the "." entry and the files it reaches (date-fns ships 2,000+ files).
import { mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { loadDeclarations } from "../src/ecosystems/npm/api/declarations.js";
import { createApiDiffRunner } from "../src/ecosystems/npm/api/runner.js";
import type { PackageDeclarations } from "../src/ecosystems/npm/api/types.js";
import { openCache } from "../src/registry/cache.js";
import { loadRegistryOptions } from "../src/ecosystems/npm/registry/config.js";
import { createNpmRegistry } from "../src/ecosystems/npm/registry/npm.js";
import { createTarballReader } from "../src/ecosystems/npm/registry/tarball.js";

const root = path.resolve(import.meta.dirname, "..");
const probe = process.argv.includes("--probe");
const cacheDir = path.join(os.tmpdir(), "bumpwise-record-api-cache");
const options = await loadRegistryOptions({ projectDir: root, env: process.env });
const registry = createNpmRegistry({ options, cache: openCache(cacheDir) });
const tarballs = createTarballReader({ options, cacheDir });
const runner = createApiDiffRunner();

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
  const [before, after] = (process.argv.includes("--main-entry-only") ? sides.map(mainEntryOnly) : sides) as [PackageDeclarations, PackageDeclarations];
  if (probe) {
    const diff = await runner.diff(before, after);
    if ("unavailable" in diff) {
      console.log(`${spec}: ${diff.unavailable}`);
      continue;
    }
    console.log(`${spec}: ${diff.stats.exportsFrom}→${diff.stats.exportsTo} exports, ${diff.stats.milliseconds} ms, entries ${diff.entries.from.length}→${diff.entries.to.length}${diff.degraded ? ` (${diff.degraded.message})` : ""}`);
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
await runner.close();

function mainEntryOnly(declarations: PackageDeclarations): PackageDeclarations {
  const main = declarations.entries.find((entry) => entry.subpath === ".");
  if (!main) return declarations;
  const kept = new Set<string>();
  const queue = [main.file];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    const content = declarations.files[file];
    if (kept.has(file) || content === undefined) continue;
    kept.add(file);
    for (const match of content.matchAll(/(?:from\s+|import\(\s*)["'](\.[^"']+)["']/g)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1] ?? ""));
      const stem = target.replace(/\.(m|c)?js$/, "");
      queue.push(...[`${stem}.d.ts`, `${stem}.d.mts`, `${stem}.d.cts`, `${target}.d.ts`, `${target}/index.d.ts`].filter((candidate) => candidate in declarations.files));
    }
  }
  const exportsField = declarations.manifest.exports;
  const manifest = { ...declarations.manifest, ...(exportsField && typeof exportsField === "object" && "." in exportsField ? { exports: { ".": (exportsField as Record<string, unknown>)["."] } } : {}) };
  return { ...declarations, manifest, entries: [main], files: Object.fromEntries([...kept].map((file) => [file, declarations.files[file] as string])) };
}
