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

// Declarations that describe the runtime, not the package: a project has one of each, whichever version of
// the package it installs. A pair is compared over the same one on both sides (the newer side's, else the
// older's): two versions of @types/node in one program declare the same ambient modules ("buffer", "fs")
// twice, and their declarations merge; one version is mounted once, and parsed once a thread (program.ts).
export const environmentTypes = ["@types/node"];

/** The two sides of a pair over one environment: each package of `environmentTypes` either side loads, on both. */
export function sharedEnvironment(from: PackageDeclarations, to: PackageDeclarations): [PackageDeclarations, PackageDeclarations] {
  let sides: [PackageDeclarations, PackageDeclarations] = [from, to];
  for (const name of environmentTypes) {
    const chosen = to.dependencies?.find((dependency) => dependency.name === name) ?? from.dependencies?.find((dependency) => dependency.name === name);
    if (!chosen) continue;
    const over = (side: PackageDeclarations): PackageDeclarations => ({ ...side, dependencies: [...(side.dependencies ?? []).filter((dependency) => dependency.name !== name), chosen] });
    sides = [over(sides[0]), over(sides[1])];
  }
  return sides;
}

export function newestSatisfying(versions: string[], range: string): string | undefined {
  const valid = versions.filter((version) => semver.valid(version) && !semver.prerelease(version));
  return semver.validRange(range) ? (semver.maxSatisfying(valid, range) ?? undefined) : undefined;
}
