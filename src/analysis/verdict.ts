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
 * The merge rule (the one place verdicts are decided):
 * 0. A failing test run with the bump (--verify) is breaking, confidence 0.95: the strongest evidence.
 * 1. The most severe signal decides, from any analyzer: breaking, then risky. Analyzers have already
 *    made each severity about this project (a breaking signal names the fact or use site that made it
 *    so). The reason is the most severe project-relevant signal: one that names a project fact, then
 *    Claude's verified findings, then the rest.
 * 2. Claude calling a bump breaking or risky without a quote that survived verification makes it
 *    risky at most (confidence 0.4).
 * 3. With no breaking or risky signal, a bump is safe only when the notes of every version were read:
 *    with Claude's confidence when Claude judged it safe, else 0.5 (heuristics read phrases, not meaning).
 * 4. Otherwise it is unknown. Nothing is safe by default.
 * affectsYou: Claude's answer when it gave one, else the deterministic one (usage and the type proof).
 */
export function decideVerdict(signals: Signal[], coverage: NotesCoverage, llm?: LlmJudgement, deterministicAffectsYou: boolean | null = null): Verdict {
  const affectsYou = llm?.affectsYou ?? deterministicAffectsYou;
  const failedTests = signals.find((signal) => signal.analyzer === "tests" && signal.severity === "breaking");
  if (failedTests) return { verdict: "breaking", confidence: 0.95, affectsYou: true, reason: `breaking (tests): ${failedTests.message}` };
  for (const level of ["breaking", "risky"] as const) {
    const decisive = signals.filter((signal) => signal.severity === level);
    const first = topReason(decisive);
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

// A signal that names the project's use site or fact beats one about the package in general; the
// 0.x rule only says what semver allows, so anything concrete comes first.
function topReason(signals: Signal[]): Signal | undefined {
  const rank = (signal: Signal) => (signal.touches ? 0 : signal.fact ? 1 : signal.analyzer === "llm" ? 2 : signal.rule === "contract/zero-major" ? 4 : 3);
  return [...signals].sort((a, b) => rank(a) - rank(b))[0];
}
