import semver from "semver";
import type { VersionManifest, VersionSummary } from "../registry/packument.js";
import type { Signal } from "../types.js";
import { exportedSubpaths } from "./exports.js";

export interface ContractInput {
  name: string;
  from: VersionManifest;
  to: VersionManifest;
  /** Manifests of the versions in (from, to], for deprecations along the way. */
  between: VersionSummary[];
  /** The Node.js version the project runs on, to tell "narrowed" from "excludes you". */
  nodeVersion: string;
}

/** Changes to the published package contract that the release notes may not mention. */
export function contractSignals(input: ContractInput): Signal[] {
  return [
    ...enginesNarrowed(input),
    ...peerDependencies(input.from, input.to),
    ...moduleType(input.from, input.to),
    ...exportsMap(input.from, input.to),
    ...entryPoints(input.from, input.to),
    ...installScripts(input.from, input.to),
    ...deprecations(input),
    ...dependencySwaps(input.from, input.to),
  ];
}

// The quote is the package.json fragment of the version that made the change.
function signal(rule: string, severity: Signal["severity"], message: string, version: string, quote?: string): Signal {
  const base: Signal = { analyzer: "contract", rule: `contract/${rule}`, severity, message };
  return quote ? { ...base, evidence: { quote, version } } : base;
}

function fragment(field: string, value: unknown): string {
  return `"${field}": ${JSON.stringify(value)}`;
}

function enginesNarrowed({ from, to, nodeVersion }: ContractInput): Signal[] {
  const before = from.engines?.node ?? "*";
  const after = to.engines?.node;
  if (!after || !semver.validRange(after) || !semver.validRange(before)) return [];
  if (semver.subset(before, after, { includePrerelease: true })) return [];
  const excludesYou = !semver.satisfies(nodeVersion, after, { includePrerelease: true });
  const message = excludesYou
    ? `engines.node changed from "${before}" to "${after}", which excludes Node ${nodeVersion}`
    : `engines.node narrowed from "${before}" to "${after}"`;
  return [
    signal(
      "engines-narrowed",
      excludesYou ? "breaking" : "risky",
      message,
      to.version,
      fragment("engines", to.engines),
    ),
  ];
}

function peerDependencies(from: VersionManifest, to: VersionManifest): Signal[] {
  const signals: Signal[] = [];
  for (const [peer, range] of Object.entries(to.peerDependencies ?? {})) {
    const optional = to.peerDependenciesMeta?.[peer]?.optional === true;
    const previous = from.peerDependencies?.[peer];
    if (previous === undefined) {
      if (!optional)
        signals.push(
          signal(
            "peer-added",
            "risky",
            `new peer dependency ${peer}@${range}`,
            to.version,
            fragment("peerDependencies", { [peer]: range }),
          ),
        );
      continue;
    }
    if (semver.validRange(previous) && semver.validRange(range) && !semver.subset(previous, range)) {
      signals.push(
        signal(
          "peer-tightened",
          "risky",
          `peer dependency ${peer} tightened from "${previous}" to "${range}"`,
          to.version,
          fragment("peerDependencies", { [peer]: range }),
        ),
      );
    }
  }
  return signals;
}

function moduleType(from: VersionManifest, to: VersionManifest): Signal[] {
  const wasModule = from.type === "module";
  const isModule = to.type === "module";
  if (wasModule === isModule) return [];
  const quote = fragment("type", to.type ?? "commonjs");
  if (isModule) {
    const stillRequirable = exportedSubpaths(to.exports).some((entry) => entry.conditions.includes("require"));
    return stillRequirable
      ? [
          signal(
            "type-module",
            "risky",
            `switched to "type": "module" (exports keeps a "require" condition)`,
            to.version,
            quote,
          ),
        ]
      : [
          signal(
            "type-module",
            "breaking",
            `switched to "type": "module": require() of this package may fail`,
            to.version,
            quote,
          ),
        ];
  }
  return [signal("type-commonjs", "risky", `switched from "type": "module" to CommonJS`, to.version, quote)];
}

function exportsMap(from: VersionManifest, to: VersionManifest): Signal[] {
  if (to.exports === undefined) return [];
  if (from.exports === undefined) {
    return [
      signal(
        "exports-added",
        "risky",
        `an "exports" map was added: deep imports of files it does not list stop resolving`,
        to.version,
      ),
    ];
  }
  const after = new Set(exportedSubpaths(to.exports).map((entry) => entry.subpath));
  const removed = exportedSubpaths(from.exports)
    .map((entry) => entry.subpath)
    .filter((subpath) => !after.has(subpath));
  if (removed.length === 0) return [];
  const listed = removed.slice(0, 10).join(", ") + (removed.length > 10 ? ` and ${removed.length - 10} more` : "");
  return [
    { ...signal("exports-removed", "breaking", `exports no longer provides ${listed}`, to.version), symbols: removed },
  ];
}

function entryPoints(from: VersionManifest, to: VersionManifest): Signal[] {
  const signals: Signal[] = [];
  const coveredByExports = to.exports !== undefined;
  for (const field of ["main", "module", "types"] as const) {
    if (from[field] === undefined || to[field] !== undefined) continue;
    const severity = field === "main" && !coveredByExports ? "breaking" : "risky";
    signals.push(
      signal(`${field}-removed`, severity, `"${field}" (${from[field]}) was removed from package.json`, to.version),
    );
  }
  return signals;
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
