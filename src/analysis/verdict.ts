import type { Signal, Verdict } from "../types.js";

const confidenceBySeverity = { breaking: 0.8, risky: 0.6 } as const;

export interface NotesCoverage {
  notesRead: boolean;
  versions: number;
  missing: number;
}

/** Claude's own judgement, after verification (its verified changes are already among the signals). */
export interface LlmJudgement {
  verdict: "breaking" | "risky" | "safe" | "unknown";
  confidence: number;
  summary: string;
  affectsYou: boolean | null;
}

/**
 * The merge rule:
 * 1. The most severe signal decides, from any analyzer: breaking, then risky. Claude's verified
 *    findings lead the reason; a deterministic finding stands even when Claude calls the bump safe.
 * 2. Claude calling a bump breaking or risky without a quote that survived verification makes it
 *    risky at most (confidence 0.4).
 * 3. With no breaking or risky signal, a bump is safe only when the notes of every version were read:
 *    with Claude's confidence when Claude judged it safe, else 0.5 (heuristics read phrases, not meaning).
 * 4. Otherwise it is unknown. Nothing is safe by default.
 */
export function decideVerdict(signals: Signal[], coverage: NotesCoverage, llm?: LlmJudgement): Verdict {
  const affectsYou = llm?.affectsYou ?? null;
  for (const level of ["breaking", "risky"] as const) {
    const decisive = signals.filter((signal) => signal.severity === level);
    const first = decisive.find((signal) => signal.analyzer === "llm") ?? decisive[0];
    if (first) {
      const more = decisive.length > 1 ? ` (+${decisive.length - 1} more)` : "";
      const confidence = llm?.verdict === level ? Math.max(confidenceBySeverity[level], llm.confidence) : confidenceBySeverity[level];
      return { verdict: level, confidence, affectsYou, reason: `${first.message}${more}` };
    }
  }
  if (llm && (llm.verdict === "breaking" || llm.verdict === "risky")) {
    return { verdict: "risky", confidence: 0.4, affectsYou, reason: `Claude: ${llm.summary} (no verified quote)` };
  }
  if (coverage.notesRead && coverage.missing === 0 && coverage.versions > 0) {
    if (llm?.verdict === "safe") return { verdict: "safe", confidence: llm.confidence, affectsYou, reason: `Claude: ${llm.summary}` };
    return {
      verdict: "safe",
      confidence: 0.5,
      affectsYou,
      reason: `release notes of all ${coverage.versions} versions read; no breaking or risky change found`,
    };
  }
  const reason = !coverage.notesRead
    ? "no breaking or risky contract change; release notes not read (--no-notes)"
    : `no breaking or risky change found, but ${coverage.missing} of ${coverage.versions} versions have no release notes`;
  return { verdict: "unknown", confidence: 0, affectsYou, reason };
}
