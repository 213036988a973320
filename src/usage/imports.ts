/** One place a file imports a package. */
export interface ImportSite {
  kind: "esm" | "cjs" | "dynamic" | "re-export";
  specifier: string;
  line: number;
  /** Named imports as the package exports them ("default" and "*" included). */
  names: string[];
  /** Local identifiers bound to the package (default, namespace, require result) whose members are read. */
  bindings: string[];
}

const esmImport = /\bimport\s+(type\s+)?([\w$*{}\s,]+?)\s+from\s+["']([^"']+)["']/g;
const bareImport = /\bimport\s+["']([^"']+)["']/g;
const reExport = /\bexport\s+(?:type\s+)?(\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s+from\s+["']([^"']+)["']/g;
const requireCall = /(?:\b(?:const|let|var)\s+([\w$]+|\{[^}]*\})\s*=\s*)?\brequire\s*\(\s*["']([^"']+)["']\s*\)/g;
const dynamicImport = /(?:\b(?:const|let|var)\s+([\w$]+|\{[^}]*\})\s*=\s*)?(?:await\s+)?\bimport\s*\(\s*["']([^"']+)["']\s*\)/g;

/** Every import of any package in a source text (regular expressions, not a parser: fast and tolerant). */
export function findImports(source: string): ImportSite[] {
  const sites: ImportSite[] = [];
  const lineOf = lineIndex(source);
  for (const match of source.matchAll(esmImport)) {
    const { names, bindings } = parseClause(match[2] ?? "");
    sites.push({ kind: "esm", specifier: match[3] ?? "", line: lineOf(match.index), names, bindings });
  }
  for (const match of source.matchAll(bareImport)) {
    sites.push({ kind: "esm", specifier: match[1] ?? "", line: lineOf(match.index), names: [], bindings: [] });
  }
  for (const match of source.matchAll(reExport)) {
    const clause = match[1] ?? "";
    const names = clause.startsWith("*") ? ["*"] : parseBraces(clause).map((pair) => pair.imported);
    sites.push({ kind: "re-export", specifier: match[2] ?? "", line: lineOf(match.index), names, bindings: [] });
  }
  for (const [pattern, kind] of [[requireCall, "cjs"], [dynamicImport, "dynamic"]] as const) {
    for (const match of source.matchAll(pattern)) {
      const target = match[1]?.trim();
      const destructured = target?.startsWith("{") ? parseBraces(target.replace(/:/g, " as ")) : undefined;
      sites.push({
        kind,
        specifier: match[2] ?? "",
        line: lineOf(match.index),
        names: destructured ? destructured.map((pair) => pair.imported) : target ? ["default"] : [],
        bindings: target && !destructured ? [target] : [],
      });
    }
  }
  return sites.sort((a, b) => a.line - b.line);
}

/** Whether an import specifier reaches this package ("pkg", "pkg/sub", "@scope/pkg/sub"). */
export function importsPackage(specifier: string, name: string): boolean {
  return specifier === name || specifier.startsWith(`${name}/`);
}

// `Default, { a as b, type c }` or `* as ns` or `{ a }`
function parseClause(clause: string): { names: string[]; bindings: string[] } {
  const names: string[] = [];
  const bindings: string[] = [];
  const braces = /\{[^}]*\}/.exec(clause)?.[0];
  if (braces) names.push(...parseBraces(braces).map((pair) => pair.imported));
  const rest = clause.replace(/\{[^}]*\}/, "").split(",").map((part) => part.trim()).filter(Boolean);
  for (const part of rest) {
    const namespace = /^\*\s+as\s+([\w$]+)$/.exec(part);
    if (namespace?.[1]) {
      names.push("*");
      bindings.push(namespace[1]);
    } else if (/^[\w$]+$/.test(part)) {
      names.push("default");
      bindings.push(part);
    }
  }
  return { names, bindings };
}

function parseBraces(braces: string): { imported: string; local: string }[] {
  return braces
    .replace(/[{}]/g, "")
    .split(",")
    .map((part) => part.trim().replace(/^type\s+/, ""))
    .filter(Boolean)
    .map((part) => {
      const [imported = "", local] = part.split(/\s+as\s+/);
      return { imported: imported.trim(), local: (local ?? imported).trim() };
    });
}

function lineIndex(source: string): (offset: number) => number {
  const starts = [0];
  for (let index = source.indexOf("\n"); index !== -1; index = source.indexOf("\n", index + 1)) starts.push(index + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}
