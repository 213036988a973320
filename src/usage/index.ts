import { readFile } from "node:fs/promises";
import path from "node:path";
import { listSourceFiles } from "./files.js";
import { findImports, type ImportSite, importsPackage } from "./imports.js";
import { type UseKind, useKinds } from "./uses.js";

export type { UseKind } from "./uses.js";

export interface UsageSnippet {
  file: string;
  line: number;
  text: string;
}

/** How the project uses one package: the files that import it, the symbols they use, short snippets. */
export interface PackageUsage {
  name: string;
  files: { file: string; imports: ImportSite[] }[];
  /** Named imports and members read through a default, namespace or require binding ("Router", "json"). */
  symbols: string[];
  /** How each symbol is used ("call", "construct", "implement"…), over every file that imports the package. */
  uses: Record<string, UseKind[]>;
  /** Imported whole: a default, namespace or require binding (its members count as used). */
  importsWhole: boolean;
  snippets: UsageSnippet[];
  /** Some files or snippets were left out to stay within the caps. */
  truncated: boolean;
}

// Caps so a package imported everywhere does not blow the prompt.
export const usageCaps = { files: 20, snippets: 12, symbols: 60, lineChars: 160, contextLines: 1, fileBytes: 512 * 1024 };

/** The name a project imports to use a package: @types/express describes "express", @types/scope__pkg "@scope/pkg". */
export function importedName(name: string): string {
  if (!name.startsWith("@types/")) return name;
  const bare = name.slice("@types/".length);
  return bare.includes("__") ? `@${bare.replace("__", "/")}` : bare;
}

/** Scans the project's source files once and reports the usage of each named package. */
export async function scanUsage(projectDir: string, names: string[]): Promise<Map<string, PackageUsage>> {
  const usage = new Map<string, PackageUsage>(
    names.map((name) => [name, { name, files: [], symbols: [], uses: {}, importsWhole: false, snippets: [], truncated: false }]),
  );
  if (names.length === 0) return usage;
  for (const file of await listSourceFiles(projectDir)) {
    let source: string;
    try {
      source = await readFile(path.join(projectDir, file), "utf8");
    } catch {
      continue;
    }
    if (source.length > usageCaps.fileBytes || !names.some((name) => source.includes(name))) continue;
    const sites = findImports(source);
    for (const name of names) {
      const mine = sites.filter((site) => importsPackage(site.specifier, name));
      if (mine.length === 0) continue;
      record(usage.get(name) as PackageUsage, file, source, mine);
    }
  }
  return usage;
}

function record(usage: PackageUsage, file: string, source: string, sites: ImportSite[]): void {
  if (usage.files.length >= usageCaps.files) {
    usage.truncated = true;
    return;
  }
  usage.files.push({ file, imports: sites });
  const lines = source.split(/\r?\n/);
  const symbols = new Set(usage.symbols);
  const useLines = new Set(sites.map((site) => site.line));
  for (const site of sites) {
    for (const name of site.names) if (name !== "*" && name !== "default") symbols.add(name);
    for (const binding of site.bindings) {
      const member = new RegExp(`(?<![\\w$.])${binding.replace(/\$/g, "\\$")}\\??\\.([A-Za-z_$][\\w$]*)`, "g");
      lines.forEach((text, index) => {
        for (const match of text.matchAll(member)) {
          if (match[1]) symbols.add(match[1]);
          useLines.add(index + 1);
        }
      });
    }
  }
  usage.symbols = [...symbols].slice(0, usageCaps.symbols);
  const bindings = sites.flatMap((site) => site.bindings);
  if (sites.some((site) => site.names.includes("default") || site.names.includes("*"))) usage.importsWhole = true;
  for (const symbol of usage.symbols) {
    const kinds = new Set([...(usage.uses[symbol] ?? []), ...useKinds(source, symbol, bindings)]);
    if (kinds.size > 0) usage.uses[symbol] = [...kinds];
  }
  if (symbols.size > usageCaps.symbols) usage.truncated = true;
  for (const line of [...useLines].sort((a, b) => a - b)) {
    if (usage.snippets.length >= usageCaps.snippets) {
      usage.truncated = true;
      break;
    }
    const from = Math.max(1, line - usageCaps.contextLines);
    const to = Math.min(lines.length, line + usageCaps.contextLines);
    const text = lines
      .slice(from - 1, to)
      .map((content) => (content.length > usageCaps.lineChars ? `${content.slice(0, usageCaps.lineChars)}…` : content))
      .join("\n");
    usage.snippets.push({ file, line, text });
  }
}
