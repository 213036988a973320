import type { VersionNotes } from "../changelog/types.js";
import type { Severity, Signal } from "../types.js";

interface Rule {
  id: string;
  severity: Severity;
  pattern: RegExp;
  message: string;
}

// Phrases in release notes that announce a break or a risk. Each fires at most once per line; the
// first matching rule (most severe first) wins.
const rules: Rule[] = [
  { id: "breaking-change", severity: "breaking", pattern: /\bbreaking[\s_-]*changes?\b|\bBREAKING\b|⚠️?\s*breaking/i, message: "the notes announce a breaking change" },
  { id: "conventional-breaking", severity: "breaking", pattern: /^\s*(?:[-*+]\s*)?(?:\*\*)?\w+(?:\([^)]*\))?!:/, message: "a conventional commit marked breaking (type!:)" },
  { id: "dropped-support", severity: "breaking", pattern: /\b(?:drop(?:s|ped)?|remove[sd]?|end(?:s|ed)?)\s+(?:the\s+)?support\s+for\b/i, message: "support for something was dropped" },
  { id: "minimum-node", severity: "risky", pattern: /\b(?:minimum|min\.?|required?)\s+(?:supported\s+)?node(?:\.?js)?\s+(?:version\s+)?(?:is\s+now\s+)?(?:>=?\s*)?v?\d+|\brequires?\s+node(?:\.?js)?\s*(?:>=?|version|v)?\s*\d+|\bnode(?:\.?js)?\s*>=?\s*\d+\s+(?:is\s+)?(?:now\s+)?required/i, message: "a minimum Node.js version is mentioned" },
  { id: "no-longer", severity: "risky", pattern: /\bno\s+longer\b/i, message: "something no longer works as before" },
  { id: "now-requires", severity: "risky", pattern: /\bnow\s+requires?\b|\bis\s+now\s+required\b/i, message: "something is now required" },
  { id: "default-changed", severity: "risky", pattern: /\bdefaults?\b[^.]{0,80}?\b(?:changed|is\s+now|are\s+now)\b|\bchang(?:e|ed|es)\s+(?:the\s+)?default\b/i, message: "a default changed" },
  { id: "removed", severity: "risky", pattern: /^\s*(?:[-*+]\s*)?(?:\*\*)?remove[sd]?\b|\bremoved\s+(?:the\s+|support\s+|deprecated\s+)?\w*\s*(?:option|api|method|function|export|parameter|argument|property|prop|flag|field|class|type|hook|command|config|setting|endpoint|module|entry)/i, message: "something was removed" },
  { id: "renamed", severity: "risky", pattern: /\brenamed?\b/i, message: "something was renamed" },
  { id: "deprecated", severity: "info", pattern: /\bdeprecat(?:ed|es|ion)\b/i, message: "something was deprecated" },
];

// Lines that mention breaking only to deny it: "non-breaking", "not a breaking change",
// "fixed a breaking bug in…", "without breaking", "no breaking changes".
const denials = /\bnon[\s-]?breaking\b|\bnot\s+(?:a\s+)?breaking\b|\bno\s+breaking\b|\bwithout\s+(?:any\s+)?breaking\b|\bfix(?:e[sd])?\s+(?:a\s+|the\s+)?breaking\b|\bbreaking\s+(?:bug|issue|regression|test)s?\b|\b(?:was|were)\s+breaking\b/i;

const maxSignalsPerBump = 25;

/** Heuristic signals over release notes, each quoting the exact line and its version. */
export function heuristicSignals(notes: VersionNotes[]): Signal[] {
  const signals: Signal[] = [];
  const seen = new Set<string>();
  for (const note of notes) {
    for (const rawLine of note.body.split(/\r?\n/)) {
      const line = rawLine.trim();
      if (line.length === 0 || line.length > 600 || seen.has(`${note.version}\0${line}`)) continue;
      seen.add(`${note.version}\0${line}`);
      const rule = rules.find((candidate) => candidate.pattern.test(line) && !(candidate.severity === "breaking" && denials.test(line) && candidate.id !== "dropped-support"));
      if (!rule) continue;
      signals.push({
        analyzer: "heuristic",
        rule: `heuristic/${rule.id}`,
        severity: rule.severity,
        message: rule.message,
        evidence: { quote: line, version: note.version, ...(note.url ? { url: note.url } : {}) },
      });
    }
  }
  const order = { breaking: 0, risky: 1, info: 2 };
  return signals.sort((a, b) => order[a.severity] - order[b.severity]).slice(0, maxSignalsPerBump);
}
