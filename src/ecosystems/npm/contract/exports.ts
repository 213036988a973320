/** One public subpath of a package ("." or "./utils") and the conditions it resolves under. */
export interface ExportedSubpath {
  subpath: string;
  conditions: string[];
}

// package.json "exports": a string, an array, a conditions object, or a map of "./subpath" keys.
export function exportedSubpaths(exportsField: unknown): ExportedSubpath[] {
  if (exportsField === undefined || exportsField === null) return [];
  if (typeof exportsField === "string" || Array.isArray(exportsField)) {
    return [{ subpath: ".", conditions: conditionsOf(exportsField) }];
  }
  if (typeof exportsField !== "object") return [];
  const keys = Object.keys(exportsField);
  if (!keys.some((key) => key.startsWith("."))) return [{ subpath: ".", conditions: conditionsOf(exportsField) }];
  return Object.entries(exportsField as Record<string, unknown>)
    .filter(([, target]) => target !== null)
    .map(([subpath, target]) => ({ subpath, conditions: conditionsOf(target) }));
}

function conditionsOf(target: unknown): string[] {
  if (typeof target === "string") return ["default"];
  if (Array.isArray(target)) return [...new Set(target.flatMap(conditionsOf))];
  if (typeof target !== "object" || target === null) return [];
  return [...new Set(Object.entries(target).flatMap(([condition, nested]) => [condition, ...conditionsOf(nested)]))];
}

/**
 * Whether a subpath ("./sub/path") resolves through an "exports" map: an exact key, a "./x/*" pattern,
 * or a legacy "./x/" folder key; a key whose target is null blocks it.
 */
export function exportsResolve(exportsField: unknown, subpath: string): boolean {
  const keys = exportedSubpaths(exportsField);
  const blocked = (key: string) => exportsField !== null && typeof exportsField === "object" && (exportsField as Record<string, unknown>)[key] === null;
  if (keys.some((entry) => entry.subpath === subpath)) return true;
  const candidates = [subpath, subpath.replace(/\.(c|m)?js$/, "")];
  for (const entry of keys) {
    const star = entry.subpath.indexOf("*");
    if (star !== -1) {
      const prefix = entry.subpath.slice(0, star);
      const suffix = entry.subpath.slice(star + 1);
      if (candidates.some((candidate) => candidate.startsWith(prefix) && candidate.endsWith(suffix) && candidate.length > prefix.length + suffix.length - 1)) return !blocked(entry.subpath);
    } else if (entry.subpath.endsWith("/") && subpath.startsWith(entry.subpath)) return true;
  }
  return false;
}
