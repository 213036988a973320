import semver from "semver";
import type { VersionManifest } from "../registry/packument.js";
import type { PackageDeclarations } from "./types.js";

// A package's declarations often reach into its own dependencies (`export * from "@tanstack/query-core"`,
// an interface extending one from `@scope/types`): without them those types are unresolved and a member
// that moved to a base interface there looks lost. The few dependencies a package's declarations name
// are loaded beside it.
export const maxDependencies = 6;

const specifierPattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)["']([^"'./][^"']*)["']|\/\/\/\s*<reference\s+types\s*=\s*["']([^"']+)["']/g;

/** The packages (other than itself and Node's built-ins) that a package's declaration files import. */
export function importedPackages(declarations: Pick<PackageDeclarations, "name" | "files">): string[] {
  const names = new Set<string>();
  for (const content of Object.values(declarations.files)) {
    for (const match of content.matchAll(specifierPattern)) {
      const specifier = match[1] ?? match[2] ?? "";
      if (specifier.startsWith("node:")) continue;
      const parts = specifier.split("/");
      const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? "");
      if (name && name !== declarations.name) names.add(name);
    }
  }
  return [...names].sort();
}

/** Which declared dependency version each imported package resolves to (the newest its range allows). */
export function dependencyRange(manifest: VersionManifest, name: string): string | undefined {
  return manifest.dependencies?.[name] ?? manifest.peerDependencies?.[name] ?? manifest.optionalDependencies?.[name];
}

export function newestSatisfying(versions: string[], range: string): string | undefined {
  const valid = versions.filter((version) => semver.valid(version) && !semver.prerelease(version));
  return semver.validRange(range) ? (semver.maxSatisfying(valid, range) ?? undefined) : undefined;
}
