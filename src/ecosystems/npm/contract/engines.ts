import semver from "semver";
import { nodeSupportFor } from "../../../project/facts.js";
import type { VersionManifest } from "../registry/packument.js";
import type { Signal } from "../../../types.js";
import type { ProjectView } from "../../../analysis/project-view.js";
import { contractSignal, decidedBy, fragment } from "../../../analysis/contract/signal.js";

/**
 * engines.node narrowed: breaking when the new range excludes a Node version the project declares,
 * info when the project's range is already inside it, risky when the project declares none.
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
  const excluded = firstExcluded(support.range, after);
  if (!excluded) return [decidedBy(base("info", `${narrowed}; every Node line the project supports (${fact}) is still inside it`), fact)];
  return [decidedBy(base("breaking", `${narrowed}, which excludes Node ${excluded}, a version the project supports (${fact})`), fact)];
}

/**
 * The lowest Node version the project supports that the new range rejects, checking the start of each
 * Node line the project covers. Odd majors are skipped (after the first): they are short-lived and
 * not LTS, so "18 || 20 || >=22" does not exclude a project declaring ">=18".
 */
export function firstExcluded(projectRange: string, after: string): string | undefined {
  const lowest = semver.minVersion(projectRange);
  if (!lowest) return undefined;
  const last = Math.max(lowest.major, currentNodeMajor) + 2;
  for (let major = lowest.major; major <= last; major++) {
    if (major !== lowest.major && major % 2 === 1) continue;
    const start = major === lowest.major ? lowest.version : `${major}.0.0`;
    if (semver.satisfies(start, projectRange) && !semver.satisfies(start, after)) return start;
  }
  return undefined;
}

// The newest Node line when this was written; later lines are checked up to two past it.
const currentNodeMajor = 24;
