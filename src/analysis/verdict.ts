import type { Severity, Signal, Strength, Verdict } from "../types.js";
import { strengthOf, strengthRank } from "./evidence.js";

const confidenceByStrength: Record<Strength, number> = { proven: 0.95, fact: 0.85, quoted: 0.8, inferred: 0.6 };

export interface NotesCoverage {
  notesRead: boolean;
  versions: number;
  missing: number;
  /** Why the missing versions have no notes, when that is known: said instead of a bare count. */
  absent?: string;
}

/** Claude's own judgement, after verification (its verified changes are already among the signals). */
export interface LlmJudgement {
  verdict: "breaking" | "risky" | "safe" | "unknown";
  confidence: number;
  summary: string;
  affectsYou: boolean | null;
}

/**
 * Whom the verdict is for: a project (review), or a typical consumer of the package (explain, no
 * project), where a removed export is breaking "for code that imports it" without a use site to name.
 */
export type Judging = "project" | "package";

/**
 * The severity a signal counts at in the verdict: for a project, `breaking` needs evidence that
 * touches it (proven, fact or quoted); inferred evidence alone is at most `risky`.
 */
export function countedSeverity(signal: Signal, judging: Judging = "project"): Severity {
  return judging === "project" && signal.severity === "breaking" && strengthOf(signal) === "inferred" ? "risky" : signal.severity;
}

/**
 * The merge rule (the one place verdicts are decided):
 * 1. The most severe signal decides, as it counts (`countedSeverity`: breaking needs proven, fact or
 *    quoted evidence). Among signals of that severity the strongest evidence decides, and the reason
 *    is the strongest signal's (a failing test run first, then the compiler, a project fact, a
 *    verified quote at a use site); the verdict carries that strength.
 * 2. Claude calling a bump breaking or risky without a quote that survived verification makes it
 *    risky at most (inferred, confidence 0.4).
 * 3. With no breaking or risky signal, a bump is safe when the notes of every version were read (with
 *    Claude's confidence when Claude judged it safe, else 0.5: heuristics read phrases, not meaning),
 *    or when Claude, shown the use sites, declarations and manifests, judged that nothing reaches the
 *    project (at most 0.6 while notes are missing, and the reason says how many).
 * 4. Otherwise it is unknown. Nothing is safe by default; a 0.x step alone says only that semver
 *    makes no promise.
 * affectsYou: Claude's answer when it gave one, else the deterministic one (usage and the type proof);
 * a proven break affects the project whatever either says.
 */
export function decideVerdict(signals: Signal[], coverage: NotesCoverage, llm?: LlmJudgement, deterministicAffectsYou: boolean | null = null, judging: Judging = "project"): Verdict {
  const affectsYou = llm?.affectsYou ?? deterministicAffectsYou;
  for (const level of ["breaking", "risky"] as const) {
    const decisive = signals.filter((signal) => countedSeverity(signal, judging) === level);
    const first = topReason(decisive);
    if (!first) continue;
    const strength = strengthOf(first);
    const more = decisive.length > 1 ? ` (+${decisive.length - 1} more)` : "";
    const capped = first.severity === "breaking" && level === "risky" ? " (inferred evidence: at most risky)" : "";
    const confidence = llm?.verdict === level ? Math.max(confidenceByStrength[strength], llm.confidence) : confidenceByStrength[strength];
    const source = first.analyzer === "tests" ? "breaking (tests): " : "";
    return { verdict: level, confidence, affectsYou: strength === "proven" ? true : affectsYou, reason: `${source}${first.message}${capped}${more}`, strength };
  }
  if (llm && (llm.verdict === "breaking" || llm.verdict === "risky")) {
    return { verdict: "risky", confidence: 0.4, affectsYou, reason: `Claude: ${llm.summary} (no verified quote)`, strength: "inferred" };
  }
  const zeroMajor = signals.some((signal) => signal.rule === "contract/zero-major");
  // Claude, shown the use sites, the declarations and the manifests, judged that nothing reaches this
  // project: that is its reason for safe, even where some versions have no notes (less confidently).
  const complete = coverage.notesRead && coverage.missing === 0 && coverage.versions > 0;
  if (llm?.verdict === "safe" && llm.affectsYou === false && !complete) {
    return { verdict: "safe", confidence: Math.min(llm.confidence, 0.6), affectsYou, reason: `Claude: ${llm.summary} (${coverage.versions === 1 ? "the 1 version has" : `${coverage.missing} of ${coverage.versions} versions have`} no notes)`, strength: "inferred" };
  }
  if (complete) {
    if (llm?.verdict === "safe") return { verdict: "safe", confidence: llm.confidence, affectsYou, reason: `Claude: ${llm.summary}`, strength: "inferred" };
    return {
      verdict: "safe",
      confidence: 0.5,
      affectsYou,
      reason: `${coverage.versions === 1 ? "the release notes of the 1 version" : `release notes of all ${coverage.versions} versions`} read; no breaking or risky change found`,
      strength: "inferred",
    };
  }
  const promise = zeroMajor ? "0.x: no compatibility promise; " : "";
  const reason = !coverage.notesRead
    ? `${promise}no breaking or risky contract change; release notes not read (--no-notes)`
    : coverage.absent && coverage.missing > 0
      ? `${promise}no breaking or risky change found; ${coverage.absent}`
      : `${promise}no breaking or risky change found, but ${coverage.versions === 1 ? "the 1 version has" : `${coverage.missing} of ${coverage.versions} versions have`} no release notes`;
  return { verdict: "unknown", confidence: 0, affectsYou, reason, strength: "inferred" };
}

// The strongest evidence first; among equals, a signal that names the project's use site or fact beats
// one about the package in general, and Claude's verified findings come before the rest.
function topReason(signals: Signal[]): Signal | undefined {
  const rank = (signal: Signal) => (signal.touches ? 0 : signal.fact ? 1 : signal.analyzer === "llm" ? 2 : 3);
  return [...signals].sort((a, b) => strengthRank(strengthOf(a)) - strengthRank(strengthOf(b)) || rank(a) - rank(b))[0];
}
