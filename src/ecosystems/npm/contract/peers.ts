import semver from "semver";
import type { VersionManifest } from "../registry/packument.js";
import type { Signal } from "../../../types.js";
import type { ProjectView } from "../../../analysis/project-view.js";
import { contractSignal, decidedBy, fragment } from "../../../analysis/contract/signal.js";

/**
 * A new or narrower peer: breaking when the range excludes the version the project has installed and the
 * package manager cannot move it there (peerMove), risky when it must move it, info when the installed
 * version fits, risky for a required peer the project does not have, nothing for an optional peer it does not have.
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
    const fitsRange = fits(range);
    const movesWith = project.planned.get(peer);
    if (installed.some(fitsRange)) signals.push(decidedBy(base("info", `${change}; the installed ${installed.join(", ")} fits`), fact));
    else if (movesWith && fitsRange(movesWith)) signals.push(decidedBy(base("info", `${change}; this upgrade also moves ${peer} to ${movesWith}, which fits: take them together`), `${peer} → ${movesWith} in this upgrade`));
    else {
      const move = peerMove(installed, range, project.facts.declared.get(peer)?.map((declaration) => declaration.range) ?? []);
      const excludes = `${change}, which excludes the installed ${peer}@${installed.join(", ")}`;
      const unmetBefore = previous !== undefined && semver.validRange(previous) !== null && !installed.some(fits(previous));
      const manager = project.facts.manager;
      if (move) signals.push(decidedBy(base("risky", `${excludes}: the package manager must also move ${peer} ${move}`), fact));
      // Unmet before the bump as well (excalidraw: @vitest/ui 2.0.5's peer "2.0.5" beside vitest 3.0.6): nothing changes.
      else if (unmetBefore) signals.push(decidedBy(base("info", `${excludes}, as "${previous}" did before: an unmet peer already, not one this bump makes`), fact));
      // yarn and pnpm warn about an unmet peer and install; npm 7+ refuses (ERESOLVE).
      else if (manager !== undefined && manager !== "npm") signals.push(decidedBy(base("risky", `${excludes}: ${managerName(manager)} warns and installs it anyway, so whether they work together is not shown`), `${fact}; installed by ${managerName(manager)}`));
      else signals.push(decidedBy(base("breaking", `${excludes}${manager === "npm" ? ": npm refuses the install (ERESOLVE)" : ""}`), fact));
    }
  }
  return signals;
}

// An unreadable range is not held against the installed version.
function fits(range: string): (version: string) => boolean {
  return (version) => semver.validRange(range) === null || semver.satisfies(version, range, { includePrerelease: true });
}

function managerName(manager: string): string {
  return manager.startsWith("yarn") ? "yarn" : manager;
}

/**
 * How the package manager can meet a tightened peer the installed version misses, when it can: within the
 * ranges the project declares for it (each must admit a version in the new range), or, for a peer nothing
 * here declares, up within its major, as its dependents' caret ranges allow (hackathon-starter: @langchain/
 * langgraph-checkpoint 1.1.3 under a new "^1.1.4", pulled in by @langchain/langgraph's "^1.1.3"). A move
 * down, or past a major, is not made for it: the installed version is excluded.
 */
function peerMove(installed: string[], range: string, declared: string[]): string | undefined {
  const ranges = declared.filter((declaredRange) => semver.validRange(declaredRange) !== null);
  if (semver.validRange(range) === null || declared.length !== ranges.length) return undefined;
  if (ranges.length > 0) return ranges.every((declaredRange) => semver.intersects(declaredRange, range)) ? `into "${range}", which the declared "${ranges.join('", "')}" allows` : undefined;
  const floor = semver.minVersion(range);
  const upWithinMajor = floor !== null && installed.every((version) => semver.ltr(version, range) && semver.major(version) === floor.major);
  return upWithinMajor ? `up into "${range}" (nothing here declares it; its dependents allowed ${installed.join(", ")} within the same major)` : undefined;
}
