import type { Signal } from "../../types.js";
import type { PackageUsage } from "../../usage/index.js";
import type { ApiDiff, ApiFinding, ApiUnavailable } from "./types.js";

export interface ApiSignals {
  signals: Signal[];
  /** Whether the project uses a symbol with a breaking or risky finding; null without usage or findings. */
  affectsYou: boolean | null;
}

const severityByTier = { confident: "breaking", review: "risky", info: "info" } as const;

/**
 * Findings → signals. With the project's usage, a finding on a symbol the project does not use (by
 * name, or through the export that reaches it) is shown as info: it cannot break this project's code.
 */
export function apiSignals(result: ApiDiff | ApiUnavailable, usage: PackageUsage | undefined, version: string): ApiSignals {
  if ("unavailable" in result) return { signals: [signal("api/unavailable", "info", `API diff not run: ${result.unavailable}`)], affectsYou: null };
  const signals: Signal[] = [];
  if (result.from.package !== result.to.package || result.to.package.startsWith("@types/")) {
    signals.push(signal("api/types-source", "info", `declarations compared: ${result.from.package}@${result.from.version} → ${result.to.package}@${result.to.version}`));
  }
  if (result.degraded) signals.push(signal(`api/degraded-${result.degraded.reason}`, "info", result.degraded.message));
  let used = false;
  let flagged = false;
  for (const finding of result.findings) {
    const severity = severityByTier[finding.tier];
    if (severity === "info" || !usage) {
      signals.push(fromFinding(finding, severity, version, ""));
      continue;
    }
    flagged = true;
    const names = usedNames(finding, usage);
    if (names.length > 0) used = true;
    signals.push(names.length > 0 ? fromFinding(finding, severity, version, ` (this project uses ${names.join(", ")})`) : fromFinding(finding, "info", version, " (not used by this project)"));
  }
  return { signals, affectsYou: usage && flagged ? used : null };
}

/** The names through which the project reaches a finding: the symbol itself or an export that names it. */
export function usedNames(finding: ApiFinding, usage: PackageUsage): string[] {
  if (usage.files.length === 0) return [];
  const candidates = [finding.symbol, ...(finding.reachedThrough ?? [])];
  const names = new Set<string>();
  for (const candidate of candidates) {
    const root = candidate.replace(/^\.[^#]*#/, "").split(".")[0] ?? "";
    if (usage.symbols.includes(root)) names.add(`${root}${describeUse(usage.uses[root])}`);
    else if ((root === "default" || root === "export=") && usage.importsWhole) names.add("the default export");
  }
  return [...names];
}

function describeUse(kinds: string[] | undefined): string {
  return kinds && kinds.length > 0 ? ` (${kinds.join("/")})` : "";
}

function fromFinding(finding: ApiFinding, severity: Signal["severity"], version: string, suffix: string): Signal {
  const through = finding.reachedThrough?.length ? `; reached through ${finding.reachedThrough.join(", ")}` : "";
  const result = signal(finding.rule, severity, `${finding.message}${through}${suffix}`);
  result.symbols = [finding.symbol];
  if (finding.detail) result.evidence = { quote: finding.detail, version };
  return result;
}

function signal(rule: string, severity: Signal["severity"], message: string): Signal {
  return { analyzer: "api-diff", rule, severity, message };
}
