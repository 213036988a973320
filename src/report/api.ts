import type { ApiDiff, ApiUnavailable } from "../analysis/api-diff.js";

/** One line on what the API diff compared and found, for the Markdown report and `explain`. */
export function apiSummary(result: ApiDiff | ApiUnavailable): string {
  if ("unavailable" in result) return `API diff not run: ${result.unavailable}`;
  const count = (tier: string) => result.findings.filter((finding) => finding.tier === tier).length;
  const source = `${result.from.package}@${result.from.version} → ${result.to.package}@${result.to.version}`;
  if (result.identical) return `API diff of ${source}: the declarations are identical`;
  const degraded = result.degraded ? `; ${result.degraded.message}` : "";
  return `API diff of ${source}: ${count("confident")} confident, ${count("review")} review, ${count("info")} info (${result.stats.exportsFrom} → ${result.stats.exportsTo} exports, ${result.stats.milliseconds} ms${degraded})`;
}

const severityOrder = { breaking: 0, risky: 1, info: 2 } as const;

/** Most severe first, so a truncated list never hides a breaking signal. */
export function bySeverity<T extends { severity: keyof typeof severityOrder }>(signals: T[]): T[] {
  return [...signals].sort((a, b) => severityOrder[a.severity] - severityOrder[b.severity]);
}
