import semver from "semver";
import type { Versioning } from "../versioning.js";

/** npm versions are semver. */
export const semverVersioning: Versioning = {
  scheme: "semver",
  normalise: (version) => semver.valid(version),
  compare: (a, b) => semver.compare(a, b),
  isPrerelease: (version) => semver.prerelease(version) !== null,
  inLine(from, candidate, target) {
    const a = semver.parse(from);
    const b = semver.parse(candidate);
    if (!a || !b || a.major !== b.major) return false;
    return target === "minor" || a.minor === b.minor;
  },
  bumpType: (from, to) => (semver.major(from) === semver.major(to) && semver.minor(from) === semver.minor(to) ? "patch" : "minor"),
  breaksByConvention(from, to) {
    const a = semver.parse(from);
    const b = semver.parse(to);
    if (!a || !b || a.major !== 0) return false;
    return a.minor !== b.minor || a.minor === 0;
  },
  allows: (range, version) => semver.validRange(range) === null || semver.satisfies(version, range, { includePrerelease: true }),
  isCalendar: (version) => (semver.parse(version)?.major ?? 0) >= 2000,
};
