import semver from "semver";
import type { VersionManifest } from "../registry/packument.js";
import type { Signal } from "../../../types.js";
import type { ProjectView } from "../../../analysis/project-view.js";
import { contractSignal, decidedBy, fragment } from "../../../analysis/contract/signal.js";

/**
 * A new or narrower peer: breaking when the range excludes the version the project has installed,
 * info when the installed version fits, risky for a required peer the project does not have,
 * nothing for an optional peer it does not have.
 */
export function peerDependencies(from: VersionManifest, to: VersionManifest, project: ProjectView | undefined): Signal[] {
  const signals: Signal[] = [];
  for (const [peer, range] of Object.entries(to.peerDependencies ?? {})) {
    const optional = to.peerDependenciesMeta?.[peer]?.optional === true;
    const previous = from.peerDependencies?.[peer];
    const tightened = previous !== undefined && semver.validRange(previous) !== null && semver.validRange(range) !== null && !semver.subset(previous, range);
    if (previous !== undefined && !tightened) continue;
    const rule = previous === undefined ? "peer-added" : "peer-tightened";
    const change = previous === undefined ? `new ${optional ? "optional " : ""}peer dependency ${peer}@${range}` : `peer dependency ${peer} tightened from "${previous}" to "${range}"`;
    const base = (severity: Signal["severity"], message: string) => contractSignal(rule, severity, message, to.version, fragment("peerDependencies", { [peer]: range }));
    if (!project) {
      if (!optional) signals.push(base("risky", change));
      continue;
    }
    const installed = project.facts.installed.get(peer) ?? [];
    if (installed.length === 0) {
      if (!optional) signals.push(decidedBy(base("risky", `${change}; the project does not have ${peer} installed`), `${peer} not in the lockfile`));
      continue;
    }
    const fact = `installed ${installed.map((version) => `${peer}@${version}`).join(", ")}`;
    const fitsRange = (version: string) => semver.validRange(range) === null || semver.satisfies(version, range, { includePrerelease: true });
    const movesWith = project.planned.get(peer);
    if (installed.some(fitsRange)) signals.push(decidedBy(base("info", `${change}; the installed ${installed.join(", ")} fits`), fact));
    else if (movesWith && fitsRange(movesWith)) signals.push(decidedBy(base("info", `${change}; this upgrade also moves ${peer} to ${movesWith}, which fits: take them together`), `${peer} → ${movesWith} in this upgrade`));
    else signals.push(decidedBy(base("breaking", `${change}, which excludes the installed ${peer}@${installed.join(", ")}`), fact));
  }
  return signals;
}
