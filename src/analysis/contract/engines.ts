import semver from "semver";
import { nodeSupportFor } from "../../project/facts.js";
import type { VersionManifest } from "../../registry/packument.js";
import type { Signal } from "../../types.js";
import type { ProjectView } from "../project-view.js";
import { contractSignal, decidedBy, fragment } from "./signal.js";

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
  if (semver.subset(support.range, after, { includePrerelease: true })) {
    return [decidedBy(base("info", `${narrowed}; the project's Node range (${fact}) is already inside it`), fact)];
  }
  const excluded = firstExcluded(support.range, after);
  return [decidedBy(base("breaking", `${narrowed}, which excludes Node ${excluded ?? "versions"} that the project supports (${fact})`), fact)];
}

// The lowest Node version the project supports that the new range rejects, for the message.
function firstExcluded(projectRange: string, after: string): string | undefined {
  const lowest = semver.minVersion(projectRange);
  if (lowest && !semver.satisfies(lowest, after)) return lowest.version;
  return undefined;
}
