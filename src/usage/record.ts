// How a use found by an ecosystem's scanner is recorded on a package's usage, within the caps (npm and Python share it).
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ImportSite, PackageUsage, ProjectUsage, UseKind, UseSite } from "./types.js";

// Caps so a package imported everywhere does not blow the prompt or the report.
export const usageCaps = { files: 20, sites: 200, snippets: 12, symbols: 60, lineChars: 160, contextLines: 1, fileBytes: 512 * 1024 };

export function emptyUsage(name: string): PackageUsage {
  return { name, files: [], symbols: [], uses: new Map(), sites: [], deepImports: [], requires: [], importsWhole: false, snippets: [], truncated: false };
}

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
  recordNames(usage, imports, uses);
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

// The names the API diff compares, over every file (no cap applies: a set of names stays small).
function recordNames(usage: PackageUsage, imports: ImportSite[], uses: UseSite[]): void {
  const imported = new Set(usage.importedNames);
  for (const site of imports) for (const name of site.names) if (name !== "*") imported.add(name);
  const used = new Set(usage.usedNames);
  for (const use of uses) {
    if (use.derived) continue;
    if (use.symbol === "*" || (use.symbol === "default" && use.kind === "read" && use.member === undefined)) usage.handedOn = true;
    used.add([use.symbol, ...(use.chain ?? (use.member ? [use.member] : []))].join("."));
  }
  usage.importedNames = [...imported];
  usage.usedNames = [...used];
}

function addUse(usage: PackageUsage, symbol: string, kind: UseKind): void {
  const kinds = usage.uses.get(symbol) ?? [];
  if (!kinds.includes(kind)) usage.uses.set(symbol, [...kinds, kind]);
}

// The last file's lines: a file that imports many packages is recorded once per package, split once.
let split: { source: string; lines: string[] } | undefined;
function linesOf(source: string): string[] {
  if (split?.source !== source) split = { source, lines: source.split(/\r?\n/) };
  return split.lines;
}

function addSnippets(usage: PackageUsage, file: string, source: string, lineNumbers: number[]): void {
  const lines = linesOf(source);
  for (const line of [...new Set(lineNumbers)].sort((a, b) => a - b)) {
    // Snippets are a sample for the reader (and Claude): capping them leaves out no file, site or name.
    if (usage.snippets.length >= usageCaps.snippets) break;
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
