import semver from "semver";
import { type RegistryClient, RegistryError } from "../../../registry/contract.js";
import type { VersionManifest } from "../registry/packument.js";
import { keptLimits, type TarballFile, type TarballReader } from "../registry/tarball.js";
import { dependencyRange, importedPackages, maxDependencies, newestSatisfying } from "./dependencies.js";
import { definitelyTypedName, type Resolution, resolveTypesEntries, type TypesManifest } from "./entries.js";
import type { ApiUnavailable } from "../../../analysis/api-diff.js";
import type { PackageDeclarations } from "./types.js";

export interface DeclarationDependencies {
  registry: RegistryClient;
  tarballs: TarballReader;
}

export function isDeclarationFile(file: string): boolean {
  return /\.d\.[mc]?ts$/.test(file) && !file.startsWith("node_modules/");
}

/** The same declarations with entry points resolved for how the consumer loads the package. */
export function resolvedFor(declarations: PackageDeclarations, resolution: Resolution): PackageDeclarations {
  if (resolution === "import") return declarations;
  return { ...declarations, entries: resolveTypesEntries(declarations.manifest, new Set(Object.keys(declarations.files)), resolution) };
}

/** Declarations from a package's files: its entry points resolved, nothing read but .d.ts. */
export function declarationsFromFiles(name: string, version: string, source: PackageDeclarations["source"], manifest: TypesManifest, files: TarballFile[]): PackageDeclarations {
  const contents = Object.fromEntries(files.filter((file) => isDeclarationFile(file.path)).map((file) => [file.path, file.content]));
  const typesManifest: TypesManifest = {};
  for (const field of ["exports", "types", "typings", "main"] as const) if (manifest[field] !== undefined) Object.assign(typesManifest, { [field]: manifest[field] });
  return { name, version, source, manifest: typesManifest, entries: resolveTypesEntries(typesManifest, new Set(Object.keys(contents))), files: contents };
}

/**
 * One version's declarations from its tarball, or from the matching DefinitelyTyped version when it
 * ships none (the @types version with the same major.minor, else the newest of the same major).
 */
export async function loadDeclarations(deps: DeclarationDependencies, manifest: VersionManifest & { name: string }, installed?: InstalledVersions): Promise<PackageDeclarations | ApiUnavailable> {
  const found = await ownOrDefinitelyTyped(deps, manifest);
  return "unavailable" in found ? found : withDependencies(deps, found, manifest, installed);
}

/** The version the project has installed of each package a pair's declarations may import (highest, when several). */
export type InstalledVersions = ReadonlyMap<string, string>;

async function ownOrDefinitelyTyped(deps: DeclarationDependencies, manifest: VersionManifest & { name: string }, installed?: InstalledVersions): Promise<PackageDeclarations | ApiUnavailable> {
  const own = await readDeclarations(deps, manifest.name, manifest, { package: manifest.name, version: manifest.version });
  if ("unavailable" in own || own.entries.length > 0 || manifest.name.startsWith("@types/")) return own;
  const fileList = own.fileList;
  const typesName = definitelyTypedName(manifest.name);
  let history: Awaited<ReturnType<RegistryClient["packument"]>>;
  try {
    history = await deps.registry.packument(typesName);
  } catch (error) {
    // Only an answer that it is absent is a fact about the package; a timeout or a 500 is this run's
    // failure, thrown so that the diff says so and nothing of it is cached.
    if (error instanceof RegistryError && error.code === "not-found") return { unavailable: `${manifest.name}@${manifest.version} ships no type declarations and ${typesName} could not be found` };
    throw error;
  }
  const published = Object.keys(history.versions).filter((version) => semver.valid(version) && !semver.prerelease(version));
  // The project's installed @types copy for a dependency's types (same major), else the matching one.
  const installedTypes = installed?.get(typesName);
  const version =
    (installedTypes !== undefined && published.includes(installedTypes) && semver.major(installedTypes) === semver.major(manifest.version) ? installedTypes : undefined) ??
    semver.maxSatisfying(published, `~${semver.major(manifest.version)}.${semver.minor(manifest.version)}.0`) ??
    semver.maxSatisfying(published, `^${semver.major(manifest.version)}.0.0`);
  if (!version) return { unavailable: `${manifest.name}@${manifest.version} ships no type declarations and no ${typesName} version matches ${semver.major(manifest.version)}.x` };
  const typesManifest = await deps.registry.manifest(typesName, version);
  const typed = await readDeclarations(deps, manifest.name, typesManifest, { package: typesName, version });
  return "unavailable" in typed || !fileList ? typed : { ...typed, fileList };
}

async function readDeclarations(deps: DeclarationDependencies, name: string, manifest: VersionManifest, source: PackageDeclarations["source"]): Promise<PackageDeclarations | ApiUnavailable> {
  if (!manifest.tarball) return { unavailable: `the registry lists no tarball for ${source.package}@${source.version}`, unread: true };
  const contents = await deps.tarballs.read(source.package, source.version, manifest.tarball, manifest.integrity);
  // Past the reader's limits a package's declarations are not loaded (the largest real ones, @types/node's
  // and typescript's, are about 3 and 9 MB).
  if (contents.overflow) {
    const count = contents.paths.filter(isDeclarationFile).length;
    return { unavailable: `${source.package}@${source.version} ships ${count} declaration files, over the analysis cap (${keptLimits.files} files, ${keptLimits.bytes / 1024 / 1024} MB)`, unread: true };
  }
  const files = contents.files.filter((file) => isDeclarationFile(file.path));
  return { ...declarationsFromFiles(name, manifest.version, source, manifest, files), fileList: contents.paths };
}

// The dependencies the declarations import, one level deep; one that cannot be read stays unresolved,
// as it was before, and the diff goes on.
async function withDependencies(deps: DeclarationDependencies, declarations: PackageDeclarations, manifest: VersionManifest, installed?: InstalledVersions): Promise<PackageDeclarations> {
  // `import … from "react"` in @types/react-dom is served by its dependency @types/react.
  const wanted = importedPackages(declarations)
    .map((name) => (dependencyRange(manifest, name) === undefined && dependencyRange(manifest, definitelyTypedName(name)) !== undefined ? definitelyTypedName(name) : name))
    .map((name) => ({ name, range: dependencyRange(manifest, name) }))
    .filter((dependency): dependency is { name: string; range: string } => dependency.range !== undefined)
    .slice(0, maxDependencies);
  const loaded = await Promise.all(
    wanted.map(async ({ name, range }) => {
      try {
        const history = await deps.registry.packument(name);
        // The project's own copy where it has one: a peer is always the project's (react-query 5.51 over the
        // project's React 19 types, not React 18's, whose global JSX the new side would lack), a dependency
        // when the range takes it; else the newest the range takes.
        const own = installed?.get(name);
        const peer = manifest.peerDependencies?.[name] !== undefined;
        const version = own !== undefined && history.versions[own] && (peer || (semver.validRange(range) !== null && semver.satisfies(own, range))) ? own : newestSatisfying(Object.keys(history.versions), range);
        if (!version) return undefined;
        const found = await ownOrDefinitelyTyped(deps, { ...(await deps.registry.manifest(name, version)), name }, installed);
        return "unavailable" in found ? undefined : found;
      } catch {
        return undefined;
      }
    }),
  );
  const dependencies = loaded.filter((dependency): dependency is PackageDeclarations => dependency !== undefined);
  return dependencies.length > 0 ? { ...declarations, dependencies } : declarations;
}
