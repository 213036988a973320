import pep440 from "@renovatebot/pep440";
import type { Versioning } from "../../versioning.js";

// Each version string is parsed once per run (a package's history is asked about many times while planning).
const explained = new Map<string, ReturnType<typeof pep440.explain>>();

function explain(version: string): ReturnType<typeof pep440.explain> {
  if (!explained.has(version)) explained.set(version, pep440.explain(version));
  return explained.get(version) ?? null;
}

// release[0] is the major, [1] the minor: "1.0" is 1.0.0, and a local label (+cpu) is ignored.
function release(version: string): number[] | null {
  return explain(version)?.release ?? null;
}

/** Python versions are PEP 440: epochs, pre/post/dev releases, local labels (2.13.0+cpu). */
export const pep440Versioning: Versioning = {
  scheme: "pep440",
  normalise: (version) => pep440.clean(version),
  compare: (a, b) => pep440.compare(a, b),
  isPrerelease: (version) => explain(version)?.is_prerelease ?? false,
  inLine(from, candidate, target) {
    const a = explain(from);
    const b = explain(candidate);
    if (!a || !b || a.epoch !== b.epoch || (a.release[0] ?? 0) !== (b.release[0] ?? 0)) return false;
    return target === "minor" || (a.release[1] ?? 0) === (b.release[1] ?? 0);
  },
  bumpType(from, to) {
    const a = release(from);
    const b = release(to);
    if (!a || !b) return "minor";
    if ((a[0] ?? 0) !== (b[0] ?? 0)) return "major";
    return (a[1] ?? 0) === (b[1] ?? 0) ? "patch" : "minor";
  },
  breaksByConvention(from, to) {
    const a = release(from);
    const b = release(to);
    if (!a || !b || (a[0] ?? 0) !== 0) return false;
    return (a[1] ?? 0) !== (b[1] ?? 0) || (a[1] ?? 0) === 0;
  },
  allows: (range, version) => (range.trim() === "" || !pep440.validRange(range) ? true : pep440.satisfies(version, range, { prereleases: true })),
  // 2024.1.0, or a two-digit year with a month (pip 24.0, black 24.1.0, attrs 23.2.0).
  isCalendar(version) {
    const [major = 0, minor = 0] = release(version) ?? [];
    return major >= 2000 || (major >= 17 && major <= 40 && minor <= 12);
  },
};
