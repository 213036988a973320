import { objectMembers, parseSlice } from "./scan.js";
import type { PackageHistory, VersionSummary } from "../../../registry/contract.js";
import { expectFields, expectObject, expectOptionalStringMap, isObject, ShapeError } from "../../../shape.js";

/** What bumpwise reads of a packument's top level; the versions' manifests are checked one by one, when read. */
export interface RawPackument {
  name: string;
  "dist-tags"?: Record<string, string>;
  time?: Record<string, unknown>;
  versions?: Record<string, unknown>;
}

// Only the top level is checked up front: a popular package has thousands of versions, and only a
// few of their manifests are ever read (trimManifest checks those).
export function checkPackument(value: unknown): RawPackument {
  const packument = expectObject(value, "top level");
  if (typeof packument.name !== "string") throw new ShapeError("name: expected a string");
  expectOptionalStringMap(packument["dist-tags"], "dist-tags");
  if (packument.time !== undefined) expectObject(packument.time, "time");
  if (packument.versions !== undefined) expectObject(packument.versions, "versions");
  return packument as unknown as RawPackument;
}

// A manifest whose few typed fields have the wrong kind is not one; the other fields are read as unknown.
function isManifest(value: unknown): value is Record<string, unknown> & { dist?: { tarball?: string; integrity?: string } } {
  if (!isObject(value) || typeof value.version !== "string") return false;
  if (value.deprecated !== undefined && typeof value.deprecated !== "string" && typeof value.deprecated !== "boolean") return false;
  if (value.dist === undefined) return true;
  if (!isObject(value.dist)) return false;
  try {
    expectFields(value.dist, { tarball: "string", integrity: "string" }, "dist");
    return true;
  } catch {
    return false;
  }
}

export interface VersionManifest {
  version: string;
  /** The deprecation message; absent when the version is not deprecated. */
  deprecated?: string;
  engines?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  type?: string;
  exports?: unknown;
  main?: string;
  module?: string;
  types?: string;
  /** Kept apart when it differs from `types`: TypeScript tries both (rxjs 7 names a missing file in one). */
  typings?: string;
  /** Only the lifecycle scripts that run on install. */
  installScripts?: Record<string, string>;
  gypfile?: boolean;
  repository?: unknown;
  homepage?: string;
  bugs?: unknown;
  tarball?: string;
  integrity?: string;
}

const installLifecycle = ["preinstall", "install", "postinstall"];

export function toPackageHistory(packument: RawPackument): PackageHistory {
  const versions: Record<string, VersionSummary> = {};
  for (const [version, raw] of Object.entries(packument.versions ?? {})) {
    const deprecated = (raw as { deprecated?: unknown } | null)?.deprecated;
    versions[version] = typeof deprecated === "string" && deprecated.length > 0 ? { version, deprecated } : { version };
  }
  const time: Record<string, string> = {};
  for (const [version, date] of Object.entries(packument.time ?? {})) {
    if (typeof date === "string" && version !== "created" && version !== "modified") time[version] = date;
  }
  return { name: packument.name, distTags: packument["dist-tags"] ?? {}, time, versions };
}

/** The manifest subset bumpwise reads, or undefined when `raw` is not a manifest. */
export function trimManifest(version: string, value: unknown): VersionManifest | undefined {
  if (!isManifest(value)) return undefined;
  const raw = value;
  const manifest: VersionManifest = { version };
  const deprecated = raw.deprecated;
  if (typeof deprecated === "string" && deprecated.length > 0) manifest.deprecated = deprecated;
  assignIf(manifest, "engines", stringRecord(raw.engines));
  assignIf(manifest, "peerDependencies", stringRecord(raw.peerDependencies));
  assignIf(
    manifest,
    "peerDependenciesMeta",
    objectRecord(raw.peerDependenciesMeta),
  );
  assignIf(manifest, "dependencies", stringRecord(raw.dependencies));
  assignIf(manifest, "optionalDependencies", stringRecord(raw.optionalDependencies));
  assignIf(manifest, "type", stringOrUndefined(raw.type));
  if (raw.exports !== undefined && raw.exports !== null) manifest.exports = raw.exports;
  assignIf(manifest, "main", stringOrUndefined(raw.main));
  assignIf(manifest, "module", stringOrUndefined(raw.module));
  assignIf(manifest, "types", stringOrUndefined(raw.types) ?? stringOrUndefined(raw.typings));
  if (raw.typings !== raw.types) assignIf(manifest, "typings", stringOrUndefined(raw.typings));
  const scripts = stringRecord(raw.scripts) ?? {};
  const installScripts = Object.fromEntries(
    Object.entries(scripts).filter(([name]) => installLifecycle.includes(name)),
  );
  if (Object.keys(installScripts).length > 0) manifest.installScripts = installScripts;
  if (raw.gypfile === true) manifest.gypfile = true;
  if (raw.repository !== undefined) manifest.repository = raw.repository;
  assignIf(manifest, "homepage", stringOrUndefined(raw.homepage));
  if (raw.bugs !== undefined) manifest.bugs = raw.bugs;
  assignIf(manifest, "tarball", raw.dist?.tarball);
  assignIf(manifest, "integrity", raw.dist?.integrity);
  return manifest;
}

function assignIf<K extends keyof VersionManifest>(
  target: VersionManifest,
  key: K,
  value: VersionManifest[K] | undefined,
) {
  if (value !== undefined) target[key] = value;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string");
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function objectRecord(value: unknown): Record<string, object> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  return value as Record<string, object>;
}

const deprecatedKey = Buffer.from('"deprecated"');

/**
 * The versions whose manifest text contains `needle` anywhere: found by the buffer's own search, so only
 * those manifests (few: a deprecation is rare) are walked field by field. `ranges` are in document order.
 */
function versionsMentioning(body: Buffer, ranges: Map<string, { start: number; end: number }>, needle: Buffer): [string, { start: number; end: number }][] {
  const found: [string, { start: number; end: number }][] = [];
  const ordered = [...ranges];
  let next = 0;
  for (let at = body.indexOf(needle, ordered[0]?.[1].start ?? body.length); at !== -1; ) {
    while (next < ordered.length && ordered[next]![1].end <= at) next++;
    const entry = ordered[next];
    if (!entry) break;
    if (entry[1].start <= at) {
      found.push(entry);
      at = body.indexOf(needle, entry[1].end);
      next++;
    } else at = body.indexOf(needle, entry[1].start);
  }
  return found;
}

/**
 * The same result as toPackageHistory(JSON.parse(body)) plus the trimmed manifests of `keep`'s
 * versions, without building the whole document. Throws ScanError or a ShapeError on a body that is
 * not a packument.
 */
export function scanPackument(body: Buffer, keep: (versions: string[]) => string[]): { history: PackageHistory; kept: Record<string, VersionManifest> } {
  let name: unknown;
  let distTags: unknown;
  let timeRaw: unknown;
  const versionRanges = new Map<string, { start: number; end: number }>();
  for (const member of objectMembers(body, 0)) {
    if (member.key === "name") name = parseSlice(body, member.start, member.end);
    else if (member.key === "dist-tags") distTags = parseSlice(body, member.start, member.end);
    else if (member.key === "time") timeRaw = parseSlice(body, member.start, member.end);
    else if (member.key === "versions") for (const entry of objectMembers(body, member.start)) versionRanges.set(entry.key, entry);
  }
  const versions: Record<string, VersionSummary> = {};
  for (const version of versionRanges.keys()) versions[version] = { version };
  for (const [version, range] of versionsMentioning(body, versionRanges, deprecatedKey)) {
    if (body[range.start] !== 123) continue;
    for (const field of objectMembers(body, range.start)) {
      if (field.key !== "deprecated") continue;
      const deprecated = parseSlice(body, field.start, field.end);
      if (typeof deprecated === "string" && deprecated.length > 0) versions[version] = { version, deprecated };
    }
  }
  const raw = checkPackument({ name, "dist-tags": distTags ?? undefined, time: timeRaw ?? undefined, versions: {} });
  const kept: Record<string, VersionManifest> = {};
  for (const version of keep([...versionRanges.keys()])) {
    const range = versionRanges.get(version);
    const manifest = range ? trimManifest(version, parseSlice(body, range.start, range.end)) : undefined;
    if (manifest) kept[version] = manifest;
  }
  return { history: { ...toPackageHistory(raw), versions }, kept };
}
