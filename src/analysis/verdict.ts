import type { Signal, Verdict } from "../types.js";

const confidenceBySeverity = { breaking: 0.8, risky: 0.6 } as const;

export interface NotesCoverage {
  notesRead: boolean;
  versions: number;
  missing: number;
}

/**
 * The merge rule: the most severe signal decides. With no breaking or risky signal, a bump is "safe"
 * only when the release notes of every version in between were read (confidence 0.5: heuristics
 * read phrases, not meaning); otherwise it stays "unknown". Nothing is safe by default.
 */
export function decideVerdict(signals: Signal[], coverage: NotesCoverage): Verdict {
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
  if (coverage.notesRead && coverage.missing === 0 && coverage.versions > 0) {
    return {
      verdict: "safe",
      confidence: 0.5,
      affectsYou: null,
      reason: `release notes of all ${coverage.versions} versions read; no breaking or risky change found`,
    };
  }
  const reason = !coverage.notesRead
    ? "no breaking or risky contract change; release notes not read (--no-notes)"
    : `no breaking or risky change found, but ${coverage.missing} of ${coverage.versions} versions have no release notes`;
  return { verdict: "unknown", confidence: 0, affectsYou: null, reason };
}
