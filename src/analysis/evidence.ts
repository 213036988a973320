import type { Signal, Strength } from "../types.js";

/** Strongest first: a verdict is decided by its most severe signal, and among equals by the strongest. */
export const strengthOrder: readonly Strength[] = ["proven", "fact", "quoted", "inferred"];

export const strengthRank = (strength: Strength): number => strengthOrder.indexOf(strength);

/** What each strength means, for the reports' legend. */
export const strengthMeaning: Record<Strength, string> = {
  proven: "the compiler or the tests fail on this project's code with the bump",
  fact: "a fact the project declares (runtime, installed peer, an import) that the new version excludes",
  quoted: "a verified quote from the notes tied to a use site or project fact",
  inferred: "a reading: type shapes the code reaches, a 0.x step, notes that name nothing the code uses",
};

/**
 * The strength of a signal's evidence: the analyzer's own word when it gave one, else what the
 * signal's shape shows. A failing test run is proven; a rule that compared a change with a declared
 * project fact is fact; a notes quote (heuristic or Claude's, verified) tied to a use site or project
 * fact is quoted; anything else is inferred.
 */
export function strengthOf(signal: Signal): Strength {
  if (signal.strength) return signal.strength;
  if (signal.analyzer === "tests") return "proven";
  const tied = signal.touches !== undefined && signal.touches.length > 0;
  if (signal.analyzer === "contract" && (signal.fact !== undefined || tied)) return "fact";
  if ((signal.analyzer === "heuristic" || signal.analyzer === "llm") && signal.evidence && (tied || signal.fact !== undefined)) return "quoted";
  return "inferred";
}

/** Every signal with its strength stated, as the reports show it. */
export function withStrength(signals: Signal[]): Signal[] {
  return signals.map((signal) => (signal.strength ? signal : { ...signal, strength: strengthOf(signal) }));
}
