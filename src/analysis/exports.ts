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
