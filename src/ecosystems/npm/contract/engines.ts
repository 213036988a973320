import semver from "semver";
import { nodeSupportFor } from "../../../project/facts.js";
import type { VersionManifest } from "../registry/packument.js";
import type { Signal } from "../../../types.js";
import type { ProjectView } from "../../../analysis/project-view.js";
import { contractSignal, decidedBy, fragment } from "../../../analysis/contract/signal.js";

/**
 * engines.node narrowed: breaking when the new range excludes a Node version the project declares and the old
 * one ran on, info when the project's range is already inside it (or what it leaves out was left out before),
 * risky when the project declares none.
 */
export function enginesNarrowed(from: VersionManifest, to: VersionManifest, project: ProjectView | undefined): Signal[] {
  const before = from.engines?.node ?? "*";
  const after = to.engines?.node;
  if (!after || !semver.validRange(after) || !semver.validRange(before)) return [];
  if (semver.subset(before, after, { includePrerelease: true })) return [];
  const narrowed = `engines.node narrowed from "${before}" to "${after}"`;
  const base = (severity: Signal["severity"], message: string) => contractSignal("engines-narrowed", severity, message, to.version, fragment("engines", to.engines));
  if (!project) return [base("risky", narrowed)];
  const support = nodeSupportFor(project.facts, project.importers);
  if (support.range === null || !semver.validRange(support.range)) {
    return [decidedBy(base("risky", `${narrowed}; the project declares no Node version (no engines.node, .nvmrc, .node-version or volta.node), so bumpwise cannot tell whether it still fits`), "no Node version declared")];
  }
  const fact = `${support.source} ${support.range}`;
  // Only a Node version the old range ran on is one this bump takes away (nestjs-i18n ">=18" → ">=22" for a
  // project declaring ">=16": Node 18 is, Node 16 was already outside).
  const excluded = firstExcluded(support.range, after, before);
  if (excluded) return [decidedBy(base("breaking", `${narrowed}, which excludes Node ${excluded}, a version the project supports (${fact})`), fact)];
  const already = firstExcluded(support.range, after);
  if (already) return [decidedBy(base("info", `${narrowed}; the Node versions the project supports (${fact}) that it excludes, from ${already}, "${before}" excluded already`), fact)];
  return [decidedBy(base("info", `${narrowed}; every Node line the project supports (${fact}) is still inside it`), fact)];
}

/**
 * The lowest Node version the project supports that the new range rejects, checking the start of each
 * Node line the project covers. Odd majors are skipped (after the first): they are short-lived and
 * not LTS, so "18 || 20 || >=22" does not exclude a project declaring ">=18".
 */
export function firstExcluded(projectRange: string, after: string, before = "*"): string | undefined {
  const lowest = semver.minVersion(projectRange);
  if (!lowest) return undefined;
  const last = Math.max(lowest.major, currentNodeMajor) + 2;
  const starts: string[] = [];
  for (let major = lowest.major; major <= last; major++) {
    if (major !== lowest.major && major % 2 === 1) continue;
    starts.push(major === lowest.major ? lowest.version : `${major}.0.0`);
  }
  // The old range's own floor inside a line (">= 16.14.0") is where that line starts for this comparison.
  const floor = before === "*" ? null : semver.minVersion(before);
  if (floor && semver.gt(floor, lowest)) starts.push(floor.version);
  return starts.sort(semver.compare).find((start) => semver.satisfies(start, projectRange) && semver.satisfies(start, before) && !semver.satisfies(start, after));
}

// The newest Node line when this was written; later lines are checked up to two past it.
const currentNodeMajor = 24;
