import { createHash } from "node:crypto";
import type { JsonCache } from "../registry/cache.js";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { listSourceFiles } from "./files.js";
import { scriptBlocks } from "./script-blocks.js";
import type { FileScan, ImportSite, UseKind, UseSite } from "./types.js";

export type { ImportSite, UseKind, UseSite } from "./types.js";

export interface UsageSnippet {
  file: string;
  line: number;
  text: string;
}

/** A deep import: a file that reaches into a package below its root (`pkg/sub/path`). */
export interface DeepImport {
  /** As an `exports` key: "./sub/path". */
  subpath: string;
  file: string;
  line: number;
  kind: ImportSite["kind"];
}

/** How the project uses one package. Everything keyed by a name from code is a Map. */
export interface PackageUsage {
  name: string;
  files: { file: string; imports: ImportSite[] }[];
  /** Exports named in an import or reached by a use ("Router", "json", "default"). */
  symbols: string[];
  /** How each export is used, over every importing file; an export imported but never used has no entry. */
  uses: Map<string, UseKind[]>;
  /** Every use site with its file (capped). */
  sites: (UseSite & { file: string })[];
  deepImports: DeepImport[];
  /** The places that load the package with require() (or `import x = require()`). */
  requires: { file: string; line: number }[];
  /** Imported whole: a default, namespace or require binding (its members count as used). */
  importsWhole: boolean;
  snippets: UsageSnippet[];
  /** Some files, sites or snippets were left out to stay within the caps. */
  truncated: boolean;
}

/** The project's usage of the packages asked about, and the source files that could not be read. */
export interface ProjectUsage {
  packages: Map<string, PackageUsage>;
  /** Source files the project has (0: only a lockfile, so usage is unknown, not empty). */
  sourceFiles: number;
  /** Source files parsed (those that mention a package asked about). */
  filesScanned: number;
  skipped: { file: string; reason: string }[];
  /**
   * A digest of every source file read (path and text) and of tsconfig.json and package.json: equal
   * digests mean the same code, so a typecheck of it (the API proof) can be answered from the cache.
   */
  fingerprint?: string;
}

// Caps so a package imported everywhere does not blow the prompt or the report.
export const usageCaps = { files: 20, sites: 200, snippets: 12, symbols: 60, lineChars: 160, contextLines: 1, fileBytes: 512 * 1024 };

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

export function emptyUsage(name: string): PackageUsage {
  return { name, files: [], symbols: [], uses: new Map(), sites: [], deepImports: [], requires: [], importsWhole: false, snippets: [], truncated: false };
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
  const scans = new Map(stored ?? []);
  // The parser (and TypeScript with it) is loaded only when a file must be parsed.
  const parser = stored || mentioning.length === 0 ? undefined : await import("./parse.js");
  for (const [file, source] of mentioning) {
    result.filesScanned++;
    const scan = scans.get(file) ?? (parser ? scanFile(parser, file, source) : { error: "not in the cached scan" });
    if (!stored) scans.set(file, scan);
    if ("error" in scan) {
      result.skipped.push({ file, reason: scan.error });
      continue;
    }
    for (const usage of packages.values()) {
      const imports = scan.imports.filter((site) => importsPackage(site.specifier, usage.name));
      if (imports.length > 0) record(usage, file, source, imports, scan.uses.filter((use) => importsPackage(use.specifier, usage.name)));
    }
  }
  if (!stored) cache?.put(key, [...scans]);
  return result;
}

// Part of the scan cache key: a change to what the scanner records must not be served stale.
const scanVersion = "v1";

/** A project source file's text; undefined (and the reason added to `skipped`) when unreadable or over the cap. */
export async function readSourceFile(projectDir: string, file: string, skipped: ProjectUsage["skipped"]): Promise<string | undefined> {
  let source: string;
  try {
    source = await readFile(path.join(projectDir, file), "utf8");
  } catch (error) {
    skipped.push({ file, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})` });
    return undefined;
  }
  if (source.length <= usageCaps.fileBytes) return source;
  skipped.push({ file, reason: `larger than ${usageCaps.fileBytes / 1024} KB` });
  return undefined;
}

/** The usage one source file makes of one package (what scanUsage adds up over the project). */
export async function usageInFile(name: string, file: string, source: string): Promise<PackageUsage | { error: string }> {
  const scan = scanFile(await import("./parse.js"), file, source);
  if ("error" in scan) return scan;
  const usage = emptyUsage(name);
  const imports = scan.imports.filter((site) => importsPackage(site.specifier, name));
  if (imports.length > 0) record(usage, file, source, imports, scan.uses.filter((use) => importsPackage(use.specifier, name)));
  return usage;
}

type Parser = typeof import("./parse.js");

function scanFile({ scanSource }: Parser, file: string, source: string): FileScan | { error: string } {
  if (!/\.(vue|svelte)$/.test(file)) return scanSource(source, file);
  const { script, typescript } = scriptBlocks(source);
  return scanSource(script, typescript ? `${file}.ts` : `${file}.js`);
}

/** Adds one file's imports of a package and its use sites to the package's usage (within the caps). */
export function record(usage: PackageUsage, file: string, source: string, imports: ImportSite[], uses: UseSite[]): void {
  for (const site of imports) {
    if (site.specifier !== usage.name && site.kind !== "python") usage.deepImports.push({ subpath: `.${site.specifier.slice(usage.name.length)}`, file, line: site.line, kind: site.kind });
    if (site.kind === "cjs") usage.requires.push({ file, line: site.line });
    if (site.bindings.some((binding) => binding.imported === "*" || binding.imported === "default")) usage.importsWhole = true;
    if (site.kind === "re-export") for (const name of site.names) addUse(usage, name, "re-export");
  }
  const symbols = new Set(usage.symbols);
  for (const site of imports) for (const name of site.names) if (name !== "*" && name !== "default") symbols.add(name);
  for (const use of uses) {
    symbols.add(use.symbol);
    // `program.option()` on `new Command()` calls a method of an instance, not Command itself.
    if (!use.derived) addUse(usage, use.symbol, use.kind);
    if (usage.sites.length < usageCaps.sites) usage.sites.push({ ...use, file });
    else usage.truncated = true;
  }
  if (symbols.size > usageCaps.symbols) usage.truncated = true;
  usage.symbols = [...symbols].filter((name) => name !== "*").slice(0, usageCaps.symbols);
  if (usage.files.length >= usageCaps.files) {
    usage.truncated = true;
    return;
  }
  usage.files.push({ file, imports });
  addSnippets(usage, file, source, [...imports.map((site) => site.line), ...uses.map((use) => use.line)]);
}

function addUse(usage: PackageUsage, symbol: string, kind: UseKind): void {
  const kinds = usage.uses.get(symbol) ?? [];
  if (!kinds.includes(kind)) usage.uses.set(symbol, [...kinds, kind]);
}

function addSnippets(usage: PackageUsage, file: string, source: string, lineNumbers: number[]): void {
  const lines = source.split(/\r?\n/);
  for (const line of [...new Set(lineNumbers)].sort((a, b) => a - b)) {
    if (usage.snippets.length >= usageCaps.snippets) {
      usage.truncated = true;
      break;
    }
    if (usage.snippets.some((snippet) => snippet.file === file && Math.abs(snippet.line - line) <= usageCaps.contextLines)) continue;
    const from = Math.max(1, line - usageCaps.contextLines);
    const to = Math.min(lines.length, line + usageCaps.contextLines);
    const text = lines
      .slice(from - 1, to)
      .map((content) => (content.length > usageCaps.lineChars ? `${content.slice(0, usageCaps.lineChars)}…` : content))
      .join("\n");
    usage.snippets.push({ file, line, text });
  }
}
