import type { BumpType } from "./types.js";

/**
 * How an ecosystem orders and groups its versions: semver for npm, PEP 440 for Python. The planner,
 * the notes slicer and the rules ask this, never a version library directly.
 */
export interface Versioning {
  /** Which spelling versions have: semver's x.y.z, or PEP 440's (2.0, 1.4.0rc1, 2.0.post1, 1!2.0). */
  readonly scheme: "semver" | "pep440";
  /** The canonical spelling of a version ("v2.7.4" → "2.7.4", "1.0" stays "1.0"); null when it is not one. */
  normalise(version: string): string | null;
  compare(a: string, b: string): number;
  isPrerelease(version: string): boolean;
  /** Whether `candidate` stays in the line `target` allows from `from` (same major; same major.minor). */
  inLine(from: string, candidate: string, target: "minor" | "patch"): boolean;
  bumpType(from: string, to: string): BumpType;
  /** 0.x: a step semver (or PEP 440 by convention) allows to break. */
  breaksByConvention(from: string, to: string): boolean;
  /** Whether a version satisfies a range in the ecosystem's own syntax; true for a range it cannot read. */
  allows(range: string, version: string): boolean;
  /** A year used as the major version (2024.1.0): the number says nothing about compatibility. */
  isCalendar(version: string): boolean;
}

/** Every version in (from, to], oldest first; prereleases only when from or to is one. */
export function versionsBetween(versioning: Versioning, versions: Iterable<string>, from: string, to: string): string[] {
  const withPrereleases = versioning.isPrerelease(from) || versioning.isPrerelease(to);
  return [...versions]
    .filter((version) => versioning.normalise(version) !== null && versioning.compare(version, from) > 0 && versioning.compare(version, to) <= 0)
    .filter((version) => withPrereleases || !versioning.isPrerelease(version))
    .sort(versioning.compare);
}
