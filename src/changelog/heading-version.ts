import type { Versioning } from "../versioning.js";

// A whole semver token: 1.2.3 must not be read out of 1.2.30 or 11.2.3, nor out of 1.2.3.4.
const versionToken = /(?<![\w.])v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z.-]+)?)(?![\w.]*\d)(?!\.\w)/gi;

// semver.org's own pattern for a valid version (no leading zeros): the format, not the npm library.
const validSemver = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

// What may stand before the version in a heading: nothing, "v", "Version", "Release", or a package
// name with "@" ("pkg@1.2.3", "@scope/pkg@1.2.3"). "Breaking changes in 2.0.0" is not a version heading.
const headingPrefix = /^(|@?[\w./-]+@|version|release|v)$/i;

// Python changelogs title a release with the distribution's own name: "pytest 8.4.2 (2025-09-04)".
function isOwnName(prefix: string, packageName: string | undefined): boolean {
  const normal = (text: string) => text.toLowerCase().replace(/[-_.]+/g, "-");
  return packageName !== undefined && prefix !== "" && normal(prefix) === normal(packageName);
}

// A PEP 440 token: two or more release parts, then pre/post/dev and local parts ("2.0", "1.4.0rc1", "2.0.post1").
const pep440Token = /(?<![\w.])v?(\d+(?:\.\d+)+(?:[-_.]?(?:a|b|rc|c|alpha|beta|pre|preview)\d*)?(?:[-_.]?post\d*)?(?:[-_.]?dev\d*)?(?:\+[a-z0-9.]+)?)(?![\w.]*\d)(?!\.\w)/gi;

/**
 * The version a heading introduces, if it is a version heading. With a `versioning` other than
 * semver (PEP 440), two-part and pre/post-release versions count too, returned normalised.
 */
export function headingVersion(text: string, versioning?: Versioning, packageName?: string): string | undefined {
  const pep440 = versioning?.scheme === "pep440";
  for (const match of text.matchAll(pep440 ? pep440Token : versionToken)) {
    const version = pep440 ? (versioning.normalise(match[1] ?? "") ?? undefined) : match[1];
    if (!version || (!pep440 && !validSemver.test(version))) continue;
    const prefix = text.slice(0, match.index).replace(/[\s[\]*_`(#:>]/g, "");
    return headingPrefix.test(prefix) || isOwnName(prefix, packageName) ? version : undefined;
  }
  return undefined;
}

/** A heading as the scanners find it: its level, the version it introduces, and where it sits. */
export interface Heading {
  depth: number;
  version: string | undefined;
  text: string;
  start: number;
  end: number;
}

