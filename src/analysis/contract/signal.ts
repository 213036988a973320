import type { Signal } from "../../types.js";

// The quote is the package.json fragment of the version that made the change.
export function contractSignal(rule: string, severity: Signal["severity"], message: string, version: string, quote?: string): Signal {
  const base: Signal = { analyzer: "contract", rule: `contract/${rule}`, severity, message };
  return quote ? { ...base, evidence: { quote, version } } : base;
}

export function fragment(field: string, value: unknown): string {
  return `"${field}": ${JSON.stringify(value)}`;
}

/** Adds the project fact (and use sites) that decided a signal's severity: its evidence is a fact of the project. */
export function decidedBy(signal: Signal, fact: string | undefined, touches?: { file: string; line: number }[]): Signal {
  const tied = fact !== undefined || (touches !== undefined && touches.length > 0);
  return { ...signal, ...(fact ? { fact } : {}), ...(touches && touches.length > 0 ? { touches: touches.map(({ file, line }) => ({ file, line })) } : {}), ...(tied ? { strength: "fact" as const } : {}) };
}
