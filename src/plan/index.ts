import picomatch from "picomatch";
import semver from "semver";
import type { PackageHistory } from "../registry/packument.js";
import type { Bump, InstalledPackage } from "../types.js";

export interface PlanPolicy {
  target: "minor" | "patch";
  /** Skip versions published less than this many days ago (supply-chain cooldown). */
  minAgeDays: number;
  now: Date;
  /** Transitive packages too, not only direct ones. */
  all: boolean;
  include: string[];
  exclude: string[];
}

/** A newer version exists but none passes the policy: said in the report, not silently dropped. */
export interface HeldBack {
  name: string;
  from: string;
  newest: string;
  reason: string;
}

/** Which installed packages the policy asks about (by name, before any registry call). */
export function selectPackages(packages: InstalledPackage[], policy: PlanPolicy): InstalledPackage[] {
  const included = policy.include.length > 0 ? picomatch(policy.include) : () => true;
  const excluded = policy.exclude.length > 0 ? picomatch(policy.exclude) : () => false;
  return packages.filter((pkg) => (policy.all || pkg.direct) && included(pkg.name) && !excluded(pkg.name));
}

export type PlanResult = { bump: Bump } | { heldBack: HeldBack } | { upToDate: true };

/** The newest acceptable version for one installed package, with every version in between. */
export function planBump(pkg: InstalledPackage, history: PackageHistory, policy: PlanPolicy): PlanResult {
  const from = semver.parse(pkg.version);
  if (!from) return { upToDate: true };
  const newer = Object.keys(history.versions)
    .map((version) => semver.parse(version))
    .filter((version): version is semver.SemVer => version !== null && inTargetLine(from, version, policy.target))
    .filter((version) => semver.gt(version, from))
    .filter((version) => from.prerelease.length > 0 || version.prerelease.length === 0)
    .sort(semver.compare);
  const newest = newer.at(-1);
  if (!newest) return { upToDate: true };

  const rejections = new Map<string, string>();
  const acceptable = newer.filter((version) => {
    const reason = rejection(history, version.version, policy);
    if (reason) rejections.set(version.version, reason);
    return reason === undefined;
  });
  const to = acceptable.at(-1);
  if (!to) {
    return {
      heldBack: {
        name: pkg.name,
        from: pkg.version,
        newest: newest.version,
        reason: rejections.get(newest.version) ?? "",
      },
    };
  }
  return {
    bump: {
      name: pkg.name,
      from: pkg.version,
      to: to.version,
      type: from.major === to.major && from.minor === to.minor ? "patch" : "minor",
      direct: pkg.direct,
      dev: pkg.dev,
      importers: pkg.importers,
      versionsInBetween: newer.filter((version) => semver.lte(version, to)).map((version) => version.version),
    },
  };
}

function inTargetLine(from: semver.SemVer, candidate: semver.SemVer, target: PlanPolicy["target"]): boolean {
  if (candidate.major !== from.major) return false;
  return target === "minor" || candidate.minor === from.minor;
}

function rejection(history: PackageHistory, version: string, policy: PlanPolicy): string | undefined {
  const deprecated = history.versions[version]?.deprecated;
  if (deprecated) return `${version} is deprecated`;
  const published = history.time[version];
  // A review "as of" a past date (--as-of) does not see what was published after it.
  if (published && Date.parse(published) > policy.now.getTime()) return `${version} was published after ${policy.now.toISOString().slice(0, 10)}`;
  if (policy.minAgeDays <= 0) return undefined;
  if (!published) return `${version} has no publish date, so --min-age ${policy.minAgeDays} cannot be checked`;
  if (Number.isNaN(Date.parse(published))) return `${version} has a publish date that cannot be read, so --min-age ${policy.minAgeDays} cannot be checked`;
  const ageDays = (policy.now.getTime() - Date.parse(published)) / 86_400_000;
  if (ageDays < policy.minAgeDays)
    return `${version} is ${Math.floor(ageDays)} days old (--min-age ${policy.minAgeDays})`;
  return undefined;
}

/** 0.x: a minor step (0.3 → 0.4) and any 0.0.x step are breaking by semver's own rules. */
export function isBreakingBySemver(bump: Pick<Bump, "from" | "to">): boolean {
  const from = semver.parse(bump.from);
  const to = semver.parse(bump.to);
  if (!from || !to || from.major !== 0) return false;
  return from.minor !== to.minor || from.minor === 0;
}

/** Every published version in (from, to], oldest first; prereleases only when from or to is one. */
export function versionsBetween(history: PackageHistory, from: string, to: string): string[] {
  const withPrereleases = semver.prerelease(from) !== null || semver.prerelease(to) !== null;
  return Object.keys(history.versions)
    .filter((version) => semver.valid(version) && semver.gt(version, from) && semver.lte(version, to))
    .filter((version) => withPrereleases || semver.prerelease(version) === null)
    .sort(semver.compare);
}
