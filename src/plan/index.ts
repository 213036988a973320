import picomatch from "picomatch";
import type { Versioning } from "../versioning.js";
import type { PackageHistory } from "../registry/contract.js";
import type { Bump, InstalledPackage } from "../types.js";

/**
 * How far a bump goes: the newest version of the same major (`minor`), of the same major.minor
 * (`patch`), or the newest the project's declared ranges allow (`in-range`, npm's "Wanted").
 */
export type PlanTarget = "minor" | "patch" | "in-range";

export interface PlanPolicy {
  target: PlanTarget;
  /** Skip versions published less than this many days ago (supply-chain cooldown). */
  minAgeDays: number;
  now: Date;
  /** Transitive packages too, not only direct ones. */
  all: boolean;
  include: string[];
  exclude: string[];
  /** One workspace's folder: its direct dependencies only (and, with `all`, every transitive one), as that workspace's. */
  workspace?: string;
  /**
   * Why a version cannot run where the project does (a `requires_python` that excludes part of the
   * project's `requires-python`); such a version is not a target, the newest one that runs everywhere is.
   */
  unsupported?: (runtime: string) => string | undefined;
  /** The ranges the project's importers declare for a package (`in-range` keeps a bump inside all of them). */
  declaredRanges?: (pkg: InstalledPackage) => string[];
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
  const picked = packages.filter((pkg) => (policy.all || pkg.direct) && included(pkg.name) && !excluded(pkg.name));
  const { workspace } = policy;
  if (workspace === undefined) return picked;
  // In one workspace, a package other members also declare is this member's bump only.
  return picked.flatMap((pkg) => (pkg.importers.includes(workspace) ? [{ ...pkg, importers: [workspace] }] : !pkg.direct ? [pkg] : []));
}

/** A bump, with the newer versions it stops short of (and why) when the newest was not acceptable. */
export type PlanResult = { bump: Bump; heldBack?: HeldBack } | { heldBack: HeldBack } | { upToDate: true };

/** The newest acceptable version for one installed package, with every version in between. */
export function planBump(pkg: InstalledPackage, history: PackageHistory, policy: PlanPolicy, versioning: Versioning): PlanResult {
  const from = versioning.normalise(pkg.version);
  if (!from) return { upToDate: true };
  const inLine = Object.keys(history.versions)
    .filter((version) => versioning.inLine(from, version, policy.target === "patch" ? "patch" : "minor") && versioning.normalise(version) !== null)
    .filter((version) => versioning.compare(version, from) > 0)
    .filter((version) => versioning.isPrerelease(from) || !versioning.isPrerelease(version))
    .sort(versioning.compare);
  // in-range: a package the project does not declare (transitive) has no range of its own to keep.
  const ranges = policy.target === "in-range" ? (policy.declaredRanges?.(pkg) ?? []) : [];
  const newer = inLine.filter((version) => ranges.every((range) => versioning.allows(range, version)));
  const outside = inLine.at(-1) !== undefined && inLine.at(-1) !== newer.at(-1) ? inLine.at(-1) : undefined;
  const leaves = outside ? { heldBack: { name: pkg.name, from: pkg.version, newest: outside, reason: `${outside} is outside the declared ${ranges.join(", ")} (--target in-range)` } } : {};
  const newest = newer.at(-1);
  if (!newest) return outside ? (leaves as { heldBack: HeldBack }) : { upToDate: true };

  const rejections = new Map<string, string>();
  const acceptable = newer.filter((version) => {
    const reason = rejection(history, version, policy);
    if (reason) rejections.set(version, reason);
    return reason === undefined;
  });
  const to = acceptable.at(-1);
  if (!to) {
    return { heldBack: { name: pkg.name, from: pkg.version, newest, reason: rejections.get(newest) ?? "" } };
  }
  const stoppedShort = to !== newest ? { heldBack: { name: pkg.name, from: pkg.version, newest, reason: `${rejections.get(newest) ?? ""}; reviewed up to ${to} instead` } } : {};
  return {
    ...leaves,
    ...stoppedShort,
    bump: {
      name: pkg.name,
      from: pkg.version,
      to,
      type: versioning.bumpType(from, to),
      direct: pkg.direct,
      dev: pkg.dev,
      importers: pkg.importers,
      versionsInBetween: newer.filter((version) => versioning.compare(version, to) <= 0),
    },
  };
}

function rejection(history: PackageHistory, version: string, policy: PlanPolicy): string | undefined {
  const summary = history.versions[version];
  if (summary?.yanked !== undefined) return `${version} was yanked${summary.yanked ? `: ${summary.yanked}` : ""}`;
  if (summary?.deprecated) return `${version} is deprecated`;
  const unsupported = summary?.runtime !== undefined ? policy.unsupported?.(summary.runtime) : undefined;
  if (unsupported) return `${version} ${unsupported}`;
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



/** A newer major the plan does not review: said in every report ("Also available"), like `npm outdated`. */
export interface MajorAvailable {
  name: string;
  from: string;
  latest: string;
}

/** The newest release of a later major than the installed one (not a prerelease, yanked, deprecated or after `now`). */
export function newerMajor(pkg: InstalledPackage, history: PackageHistory, policy: Pick<PlanPolicy, "now">, versioning: Versioning): MajorAvailable | undefined {
  const from = versioning.normalise(pkg.version);
  if (!from) return undefined;
  const latest = Object.keys(history.versions)
    .filter((version) => versioning.normalise(version) !== null && !versioning.isPrerelease(version) && !versioning.inLine(from, version, "minor"))
    .filter((version) => versioning.compare(version, from) > 0)
    .filter((version) => {
      const summary = history.versions[version];
      const published = history.time[version];
      return summary?.yanked === undefined && !summary?.deprecated && !(published && Date.parse(published) > policy.now.getTime());
    })
    .sort(versioning.compare)
    .at(-1);
  return latest ? { name: pkg.name, from: pkg.version, latest } : undefined;
}
