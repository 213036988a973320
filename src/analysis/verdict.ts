import type { Signal, Verdict } from "../types.js";

const confidenceBySeverity = { breaking: 0.8, risky: 0.6 } as const;

/**
 * The merge rule: the most severe signal decides. A bump with no breaking or risky signal stays
 * "unknown" — an absence of findings is not evidence of safety until the release notes have been read.
 */
export function decideVerdict(signals: Signal[]): Verdict {
  for (const level of ["breaking", "risky"] as const) {
    const decisive = signals.filter((signal) => signal.severity === level);
    const first = decisive[0];
    if (first) {
      const more = decisive.length > 1 ? ` (+${decisive.length - 1} more)` : "";
      return {
        verdict: level,
        confidence: confidenceBySeverity[level],
        affectsYou: null,
        reason: `${first.message}${more}`,
      };
    }
  }
  return {
    verdict: "unknown",
    confidence: 0,
    affectsYou: null,
    reason: "no breaking or risky contract change; release notes not analysed yet",
  };
}
