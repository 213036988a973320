import path from "node:path/posix";

/** The package.json fields TypeScript reads to find a package's declarations. */
export interface TypesManifest {
  exports?: unknown;
  types?: string;
  typings?: string;
  main?: string;
}

/** A public entry point ("." or "./utils") and the declaration file it resolves to. */
export interface TypesEntry {
  subpath: string;
  file: string;
}

// The conditions TypeScript matches for an ESM importer, in the package's own key order.
const importConditions = new Set(["types", "import", "node", "default"]);
const requireConditions = new Set(["types", "require", "node", "default"]);
// A package with thousands of wildcard-exported files is still compared on a bounded surface.
const maxWildcardEntries = 400;

/** How the consumer loads the package: both versions are resolved the same way (require with require). */
export type Resolution = "import" | "require";

/**
 * Resolves every public entry point to a declaration file the way TypeScript does: `exports`
 * conditions (the consumer's resolution first, then the other), then `types`/`typings`, then `main`
 * with a .d.ts beside it, then `index.d.ts`. `files` lists the package's declaration files.
 */
export function resolveTypesEntries(manifest: TypesManifest, files: ReadonlySet<string>, resolution: Resolution = "import"): TypesEntry[] {
  const entries = manifest.exports !== undefined && manifest.exports !== null ? exportsEntries(manifest.exports, files, resolution) : [];
  // An exports map without types conditions (rxjs 7) still gets its "types" for "." in most setups.
  if (entries.some((entry) => entry.subpath === ".")) return entries;
  for (const field of [manifest.types, manifest.typings]) {
    const file = field ? declarationFor(field, files) : undefined;
    if (file) return [{ subpath: ".", file }, ...entries];
  }
  const file = (manifest.main ? declarationFor(manifest.main, files) : undefined) ?? declarationFor("index.js", files);
  return file ? [{ subpath: ".", file }, ...entries] : entries;
}

function exportsEntries(exportsField: unknown, files: ReadonlySet<string>, resolution: Resolution): TypesEntry[] {
  const [first, second] = resolution === "import" ? [importConditions, requireConditions] : [requireConditions, importConditions];
  const map: Record<string, unknown> =
    typeof exportsField === "object" && exportsField !== null && !Array.isArray(exportsField) && Object.keys(exportsField).some((key) => key.startsWith("."))
      ? (exportsField as Record<string, unknown>)
      : { ".": exportsField };
  const entries: TypesEntry[] = [];
  for (const [subpath, target] of Object.entries(map)) {
    if (subpath.endsWith(".json") || subpath === "./package.json") continue;
    const pattern = resolveTarget(target, first) ?? resolveTarget(target, second);
    if (!pattern) continue;
    if (!subpath.includes("*")) {
      const file = declarationFor(pattern, files);
      if (file) entries.push({ subpath, file });
      continue;
    }
    entries.push(...expandWildcard(subpath, pattern, files).slice(0, maxWildcardEntries - entries.length));
  }
  return entries;
}

function resolveTarget(target: unknown, conditions: ReadonlySet<string>): string | undefined {
  if (typeof target === "string") return target;
  if (Array.isArray(target)) {
    for (const candidate of target) {
      const resolved = resolveTarget(candidate, conditions);
      if (resolved) return resolved;
    }
    return undefined;
  }
  if (typeof target !== "object" || target === null) return undefined;
  for (const [condition, nested] of Object.entries(target)) {
    if (!conditions.has(condition)) continue;
    const resolved = resolveTarget(nested, conditions);
    if (resolved) return resolved;
  }
  return undefined;
}

// "./*" → "./dist/*.js": every declaration file the target pattern can reach is an entry point.
function expandWildcard(subpath: string, pattern: string, files: ReadonlySet<string>): TypesEntry[] {
  const [prefix = "", suffix = ""] = normalise(pattern).split("*");
  const entries: TypesEntry[] = [];
  for (const file of files) {
    for (const [js, dts] of extensionPairs) {
      const wantedSuffix = suffix.endsWith(js) ? suffix.slice(0, -js.length) + dts : suffix;
      if (!file.startsWith(prefix) || !file.endsWith(wantedSuffix) || file.length < prefix.length + wantedSuffix.length) continue;
      const star = file.slice(prefix.length, file.length - wantedSuffix.length);
      if (star.length > 0) entries.push({ subpath: subpath.replace("*", star), file });
      break;
    }
  }
  return entries.sort((a, b) => a.subpath.localeCompare(b.subpath));
}

const extensionPairs = [
  [".mjs", ".d.mts"],
  [".cjs", ".d.cts"],
  [".js", ".d.ts"],
  ["", ""],
] as const;

/** The declaration file TypeScript picks for a target path: itself, or the .d.ts beside a .js file. */
export function declarationFor(target: string, files: ReadonlySet<string>): string | undefined {
  const file = normalise(target);
  if (/\.d\.[mc]?ts$/.test(file)) return files.has(file) ? file : undefined;
  const stem = file.replace(/\.[mc]?[jt]sx?$/, "");
  const candidates = file.endsWith(".mjs")
    ? [`${stem}.d.mts`]
    : file.endsWith(".cjs")
      ? [`${stem}.d.cts`]
      : [`${stem}.d.ts`, `${file}.d.ts`, `${file}/index.d.ts`];
  return candidates.find((candidate) => files.has(candidate));
}

function normalise(target: string): string {
  return path.normalize(target).replace(/^(\.\/)+/, "").replace(/\/$/, "");
}

/** The DefinitelyTyped name for a package: "@scope/pkg" → "@types/scope__pkg". */
export function definitelyTypedName(name: string): string {
  return `@types/${name.startsWith("@") ? name.slice(1).replace("/", "__") : name}`;
}
