import semver from "semver";
import type { Versioning } from "../../versioning.js";

/** npm versions are semver. */
// Each version string parsed once per run: planning compares, sorts and filters every published version
// (thousands for some packages), and semver parses its string arguments again on every call.
const parsedVersions = new Map<string, semver.SemVer | null>();
function parsed(version: string): semver.SemVer | null {
  let found = parsedVersions.get(version);
  if (found === undefined) {
    found = semver.parse(version);
    parsedVersions.set(version, found);
  }
  return found;
}

export const semverVersioning: Versioning = {
  scheme: "semver",
  normalise: (version) => parsed(version)?.version ?? null,
  compare: (a, b) => semver.compare(parsed(a) ?? a, parsed(b) ?? b),
  isPrerelease: (version) => (parsed(version)?.prerelease.length ?? 0) > 0,
  inLine(from, candidate, target) {
    const a = parsed(from);
    // Most published versions are of other majors: a plain "3.1.0" is turned away without being parsed.
    if (!a || (/^\d/.test(candidate) && !candidate.startsWith(`${a.major}.`))) return false;
    const b = parsed(candidate);
    if (!a || !b || a.major !== b.major) return false;
    return target === "minor" || a.minor === b.minor;
  },
  bumpType: (from, to) => (semver.major(from) !== semver.major(to) ? "major" : semver.minor(from) === semver.minor(to) ? "patch" : "minor"),
  breaksByConvention(from, to) {
    const a = semver.parse(from);
    const b = semver.parse(to);
    if (!a || !b || a.major !== 0) return false;
    return a.minor !== b.minor || a.minor === 0;
  },
  allows: (range, version) => semver.validRange(range) === null || semver.satisfies(version, range, { includePrerelease: true }),
  isCalendar: (version) => (semver.parse(version)?.major ?? 0) >= 2000,
};
