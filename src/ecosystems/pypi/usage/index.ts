import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import path from "node:path";
import type { JsonCache } from "../../../registry/cache.js";
import { listSourceFiles } from "../../../usage/files.js";
import { emptyUsage, readSourceFile, record } from "../../../usage/record.js";
import { revivedUsage, type StoredUsage, storedUsage } from "../../../usage/stored.js";
import type { FileScan, PackageUsage, ProjectUsage, UseKind } from "../../../usage/types.js";

// Part of the cache keys: a change to what the scanner records must not be served stale.
const scanVersion = "v2";

/**
 * Parses the project's Python files once. Usage is keyed by top-level module ("google", "fastapi",
 * "yaml"); `usageOf` narrows it to the modules one distribution installs. With a cache, an unchanged
 * project (every file the same path, size and mtime) is read back whole without opening a file; a
 * changed one parses only the files whose text is new, and no parser loads when none is.
 */
export async function scanPythonUsage(projectDir: string, cache?: JsonCache): Promise<ProjectUsage> {
  const files = await listSourceFiles(projectDir, 20_000, [".py", ".pyi"]);
  const listing = createHash("sha256");
  for (const file of files) {
    const stats = await stat(path.join(projectDir, file)).catch(() => undefined);
    listing.update(`${file}\0${stats ? `${stats.size}\0${stats.mtimeMs}` : "(missing)"}\0`);
  }
  const projectKey = `python-usage-project:${scanVersion}:${listing.digest("hex")}`;
  const known = await cache?.get<StoredUsage>(projectKey);
  if (known) return revivedUsage(known);

  const result: ProjectUsage = { packages: new Map(), sourceFiles: files.length, filesScanned: 0, skipped: [] };
  const digest = createHash("sha256");
  const sources: [string, string][] = [];
  for (const file of files) {
    const source = await readSourceFile(projectDir, file, result.skipped);
    digest.update(`${file}\0${source ?? "(unread)"}\0`);
    if (source !== undefined) sources.push([file, source]);
  }
  result.fingerprint = digest.digest("hex");
  let parser: typeof import("./parse.js") | undefined;
  for (const [file, source] of sources) {
    result.filesScanned++;
    // Keyed by the text alone: a file moved or touched but not edited is not parsed again.
    const fileKey = `python-usage-file:${scanVersion}:${createHash("sha256").update(source).digest("hex")}`;
    let scan = await cache?.get<FileScan | { error: string }>(fileKey);
    if (!scan) {
      parser ??= await import("./parse.js");
      scan = parser.scanPython(source);
      cache?.put(fileKey, scan);
    }
    if ("error" in scan) {
      result.skipped.push({ file, reason: scan.error });
      continue;
    }
    const roots = new Set(scan.imports.map((site) => topLevel(site.specifier)));
    for (const root of roots) {
      const usage = result.packages.get(root) ?? emptyUsage(root);
      result.packages.set(root, usage);
      record(usage, file, source, scan.imports.filter((site) => topLevel(site.specifier) === root), scan.uses.filter((use) => topLevel(use.specifier) === root));
    }
  }
  cache?.put(projectKey, storedUsage(result));
  return result;
}

/** How the code uses the modules a distribution installs (`google-auth` → google.auth, google.oauth2). */
export function usageOf(project: ProjectUsage, name: string, importNames: string[]): PackageUsage {
  const reaches = (specifier: string) => importNames.some((module) => specifier === module || specifier.startsWith(`${module}.`));
  const narrowed = emptyUsage(name);
  for (const root of new Set(importNames.map(topLevel))) {
    const usage = project.packages.get(root);
    if (!usage) continue;
    for (const file of usage.files) {
      const imports = file.imports.filter((site) => reaches(site.specifier));
      if (imports.length > 0) narrowed.files.push({ file: file.file, imports });
    }
    const sites = usage.sites.filter((site) => reaches(site.specifier));
    narrowed.sites.push(...sites);
    for (const site of sites) if (!site.derived) addUse(narrowed.uses, site.symbol, site.kind);
    const files = new Set(narrowed.files.map((file) => file.file));
    narrowed.snippets.push(...usage.snippets.filter((snippet) => files.has(snippet.file)));
    narrowed.truncated ||= usage.truncated;
  }
  narrowed.symbols = [...new Set([...narrowed.files.flatMap((file) => file.imports.flatMap((site) => site.names)), ...narrowed.sites.map((site) => site.symbol)])].filter((symbol) => symbol !== "*");
  narrowed.importsWhole = narrowed.files.some((file) => file.imports.some((site) => site.names.includes("*")));
  return narrowed;
}

function addUse(uses: Map<string, UseKind[]>, symbol: string, kind: UseKind): void {
  const kinds = uses.get(symbol) ?? [];
  if (!kinds.includes(kind)) uses.set(symbol, [...kinds, kind]);
}

function topLevel(module: string): string {
  return module.split(".")[0] ?? module;
}
