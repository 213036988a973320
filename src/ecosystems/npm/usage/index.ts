import { createHash } from "node:crypto";
import type { JsonCache } from "../../../registry/cache.js";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { listSourceFiles } from "../../../usage/files.js";
import { scanOnProjectThread } from "../api/project-thread.js";
import type { FileScan, PackageUsage, ProjectUsage } from "../../../usage/types.js";
import { emptyUsage, readSourceFile, record } from "../../../usage/record.js";

export type { DeepImport, ImportSite, PackageUsage, ProjectUsage, UseKind, UseSite, UsageSnippet } from "../../../usage/types.js";


/** The name a project imports to use a package: @types/express describes "express", @types/scope__pkg "@scope/pkg". */
export function importedName(name: string): string {
  if (!name.startsWith("@types/")) return name;
  const bare = name.slice("@types/".length);
  return bare.includes("__") ? `@${bare.replace("__", "/")}` : bare;
}

/** Whether an import specifier reaches this package ("pkg", "pkg/sub", "@scope/pkg/sub"). */
export function importsPackage(specifier: string, name: string): boolean {
  return specifier === name || specifier.startsWith(`${name}/`);
}


/**
 * Parses the project's source files once and reports the usage of each named package. With a cache,
 * the parse of an unchanged project (same files, same texts, same names) is read back instead of redone,
 * so a warm re-run loads no parser.
 */
export async function scanUsage(projectDir: string, names: string[], cache?: JsonCache): Promise<ProjectUsage> {
  const packages = new Map<string, PackageUsage>(names.map((name) => [name, emptyUsage(name)]));
  const files = await listSourceFiles(projectDir);
  const result: ProjectUsage = { packages, sourceFiles: files.length, filesScanned: 0, skipped: [] };
  if (names.length === 0) return result;
  const digest = createHash("sha256");
  for (const config of ["tsconfig.json", "package.json"]) digest.update(`${config}\0${await readFile(path.join(projectDir, config), "utf8").catch(() => "")}\0`);
  const mentioning: [string, string][] = [];
  for (const file of files) {
    const source = await readSourceFile(projectDir, file, result.skipped);
    digest.update(`${file}\0${source ?? "(unread)"}\0`);
    if (source !== undefined && names.some((name) => source.includes(name))) mentioning.push([file, source]);
  }
  result.fingerprint = digest.digest("hex");
  const key = `usage-scan:${scanVersion}:${result.fingerprint}:${createHash("sha256").update(names.join("\0")).digest("hex").slice(0, 16)}`;
  const stored = await cache?.get<[string, FileScan | { error: string }][]>(key);
  // Parsed on the analysis thread, which loads TypeScript; a cached scan needs neither.
  const parsed = stored || mentioning.length === 0 ? undefined : await scanOnProjectThread(mentioning);
  const failed = parsed && "failed" in parsed ? parsed.failed : undefined;
  const scans = parsed && !("failed" in parsed) ? parsed : new Map(stored ?? []);
  for (const [file, source] of mentioning) {
    result.filesScanned++;
    const scan = scans.get(file) ?? { error: failed === undefined ? "not in the cached scan" : `not parsed, the analysis thread failed: ${failed}` };
    if ("error" in scan) {
      result.skipped.push({ file, reason: scan.error });
      continue;
    }
    for (const usage of packages.values()) {
      const imports = scan.imports.filter((site) => importsPackage(site.specifier, usage.name));
      if (imports.length > 0) record(usage, file, source, imports, scan.uses.filter((use) => importsPackage(use.specifier, usage.name)));
    }
  }
  // A scan the thread could not make is not kept: the next run parses again.
  if (!stored && failed === undefined) cache?.put(key, [...scans]);
  return result;
}

// Part of the scan cache key: a change to what the scanner records must not be served stale.
const scanVersion = "v3";


/** The usage one source file makes of one package (what scanUsage adds up over the project), parsed on this thread. */
export async function usageInFile(name: string, file: string, source: string): Promise<PackageUsage | { error: string }> {
  const scan = (await import("./parse.js")).scanFile(file, source);
  if ("error" in scan) return scan;
  const usage = emptyUsage(name);
  const imports = scan.imports.filter((site) => importsPackage(site.specifier, name));
  if (imports.length > 0) record(usage, file, source, imports, scan.uses.filter((use) => importsPackage(use.specifier, name)));
  return usage;
}
