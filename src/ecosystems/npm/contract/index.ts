import type { VersionManifest } from "../registry/packument.js";
import type { VersionSummary } from "../../../registry/contract.js";
import type { Signal } from "../../../types.js";
import type { ProjectView } from "../../../analysis/project-view.js";
import { enginesNarrowed } from "./engines.js";
import { entryPoints, exportsMap, moduleType } from "./loading.js";
import { peerDependencies } from "./peers.js";
import { contractSignal as signal, fragment } from "../../../analysis/contract/signal.js";

export interface ContractInput {
  name: string;
  from: VersionManifest;
  to: VersionManifest;
  /** Manifests of the versions in (from, to], for deprecations along the way. */
  between: VersionSummary[];
  /** The project the bump is for; absent in `explain`, where rules judge for a typical consumer. */
  project?: ProjectView;
}

/**
 * Changes to the published package contract that the release notes may not mention. Each rule that
 * can say "breaking" compares the change with a project fact and names it.
 */
export function contractSignals(input: ContractInput): Signal[] {
  return [
    ...enginesNarrowed(input.from, input.to, input.project),
    ...peerDependencies(input.from, input.to, input.project),
    ...moduleType(input.from, input.to, input.project),
    ...exportsMap(input.from, input.to, input.project),
    ...entryPoints(input.from, input.to, input.project),
    ...installScripts(input.from, input.to),
    ...deprecations(input),
    ...dependencySwaps(input.from, input.to),
  ];
}

function installScripts(from: VersionManifest, to: VersionManifest): Signal[] {
  const signals: Signal[] = [];
  for (const [script, command] of Object.entries(to.installScripts ?? {})) {
    const before = from.installScripts?.[script];
    if (before === command) continue;
    const message = before === undefined ? `adds a ${script} script` : `changes its ${script} script`;
    signals.push(signal("install-script", "risky", message, to.version, fragment(script, command)));
  }
  if (to.gypfile && !from.gypfile)
    signals.push(signal("install-script", "risky", "now builds a native addon on install (gypfile)", to.version));
  return signals;
}

function deprecations({ from, between }: ContractInput): Signal[] {
  const signals: Signal[] = [];
  if (from.deprecated) {
    signals.push(
      signal("deprecated", "info", `your locked version ${from.version} is deprecated`, from.version, from.deprecated),
    );
  }
  const deprecatedBetween = between.filter((manifest) => manifest.deprecated);
  for (const manifest of deprecatedBetween.slice(0, 5)) {
    signals.push(
      signal(
        "deprecated",
        "info",
        `${manifest.version} (in between) is deprecated`,
        manifest.version,
        manifest.deprecated,
      ),
    );
  }
  return signals;
}

function dependencySwaps(from: VersionManifest, to: VersionManifest): Signal[] {
  const before = { ...from.dependencies };
  const after = { ...to.dependencies };
  const removed = Object.keys(before).filter((name) => !(name in after));
  const added = Object.keys(after).filter((name) => !(name in before));
  if (removed.length === 0 && added.length === 0) return [];
  const parts = [];
  if (added.length > 0) parts.push(`adds ${added.map((name) => `${name}@${after[name]}`).join(", ")}`);
  if (removed.length > 0) parts.push(`drops ${removed.join(", ")}`);
  const rule = added.length > 0 && removed.length > 0 ? "dependency-swapped" : "dependencies-changed";
  return [signal(rule, "info", `dependencies: ${parts.join("; ")}`, to.version)];
}
