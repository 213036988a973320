import { createHash } from "node:crypto";
import type { JsonCache } from "../../../registry/cache.js";
import { listSourceFiles } from "../../../usage/files.js";
import { emptyUsage, readSourceFile, record } from "../../../usage/record.js";
import type { FileScan, PackageUsage, ProjectUsage, UseKind } from "../../../usage/types.js";

const scanVersion = "python-usage-scan:v1";

/**
 * Parses the project's Python files once. Usage is keyed by top-level module ("google", "fastapi",
 * "yaml"); `usageOf` narrows it to the modules one distribution installs. With a cache, the parse of
 * an unchanged project (same files, same texts) is read back instead of redone, and no parser loads.
 */
export async function scanPythonUsage(projectDir: string, cache?: JsonCache): Promise<ProjectUsage> {
  const files = await listSourceFiles(projectDir, 20_000, [".py", ".pyi"]);
  const result: ProjectUsage = { packages: new Map(), sourceFiles: files.length, filesScanned: 0, skipped: [] };
  const digest = createHash("sha256");
  const sources: [string, string][] = [];
  for (const file of files) {
    const source = await readSourceFile(projectDir, file, result.skipped);
    digest.update(`${file}\0${source ?? "(unread)"}\0`);
    if (source !== undefined) sources.push([file, source]);
  }
  result.fingerprint = digest.digest("hex");
  const key = `${scanVersion}:${result.fingerprint}`;
  const stored = await cache?.get<[string, FileScan | { error: string }][]>(key);
  const scans = new Map(stored ?? []);
  // The Python parser loads only when a file must be parsed (a warm re-run parses nothing).
  const parser = stored || sources.length === 0 ? undefined : await import("./parse.js");
  for (const [file, source] of sources) {
    result.filesScanned++;
    const scan = scans.get(file) ?? (parser ? parser.scanPython(source) : { error: "not in the cached scan" });
    if (!stored) scans.set(file, scan);
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
  if (!stored) cache?.put(key, [...scans]);
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
