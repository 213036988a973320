import type { Versioning } from "../versioning.js";
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
  // A security fix that adds or tightens a check changes what is accepted: "Check Content-Type request header before assuming JSON".
  { id: "tightened-check", severity: "risky", pattern: /\b(?:check(?:s|ed)?|validat(?:e|es|ed|ion)|reject(?:s|ed)?|enforc(?:e|es|ed)|stricter|verif(?:y|ies|ied))\b[^.]{0,80}?\b(?:headers?|content[\s-]?type|requests?|inputs?|payloads?|tokens?|signatures?|cookies?|origins?|hosts?|urls?|certificates?)\b/i, message: "a check on what is accepted was added or tightened: requests that passed before may be refused" },
  { id: "no-longer", severity: "risky", pattern: /\bno\s+longer\b/i, message: "something no longer works as before" },
  { id: "now-requires", severity: "risky", pattern: /\bnow\s+requires?\b|\bis\s+now\s+required\b/i, message: "something is now required" },
  { id: "default-changed", severity: "risky", pattern: /\bdefaults?\b[^.]{0,80}?\b(?:changed|is\s+now|are\s+now)\b|\bchang(?:e|ed|es)\s+(?:the\s+)?default\b/i, message: "a default changed" },
  // "Removed …" fires only when what went is an API, option, export, file or platform, not "removed a dependency".
  { id: "removed", severity: "risky", pattern: /\bremove[sd]?\b(?=[^.;]{0,80}?(?:`[^`]+`|\b[\w$.]+\(\)|\b(?:option|api|method|function|export|parameter|argument|property|prop|flag|field|class|type|hook|command|config|setting|endpoint|module|entry|file|platform|subpath|deprecated|support)s?\b))/i, message: "something was removed" },
  { id: "renamed", severity: "risky", pattern: /\brenamed?\b/i, message: "something was renamed" },
  { id: "deprecated", severity: "info", pattern: /\bdeprecat(?:ed|es|ion)\b/i, message: "something was deprecated" },
];

// Lines that mention breaking only to deny it: "non-breaking", "not a breaking change",
// "fixed a breaking bug in…", "without breaking", "no breaking changes".
const denials = /\bnon[\s-]?breaking\b|\bnot\s+(?:a\s+)?breaking\b|\bno\s+breaking\b|\bwithout\s+(?:any\s+)?breaking\b|\bfix(?:e[sd])?\s+(?:a\s+|the\s+)?breaking\b|\bbreaking\s+(?:bug|issue|regression|test)s?\b|\b(?:was|were)\s+breaking\b/i;

// Lines that take a break back: "reverted", "reverts the breaking change", "none of the breaking changes affect…".
const retractions = /\brevert(?:s|ed|ing)?\b.{0,100}?\bbreaking\b|\b(?:fully\s+|been\s+)?reverted\b|\bnone\s+of\s+the\s+breaking\s+changes\b|\bbreaking\s+changes?\s+(?:was|were|has\s+been|have\s+been)\s+(?:reverted|rolled\s+back|undone)\b|\brolled\s+back\b/i;

const maxSignalsPerBump = 25;

/** The versions of a bump: a line that names only versions outside (from, to] is about another release. */
/** The bump the notes are for, and how its ecosystem reads the versions they name. */
export interface BumpRange {
  from: string;
  to: string;
  versioning: Versioning;
}

/** Heuristic signals over release notes, each quoting the exact line (wrapped lines joined) and its version. */
export function heuristicSignals(notes: VersionNotes[], range?: BumpRange): Signal[] {
  const signals: Signal[] = [];
  const seen = new Set<string>();
  for (const note of notes) {
    const evidence = (line: string) => ({ quote: line, version: note.version, ...(note.url ? { url: note.url } : {}) });
    // Under a "Breaking changes" heading the items are the breaks; the heading alone says only that there are some.
    let section: { level: number; heading: string; items: number } | undefined;
    const closeSection = () => {
      if (section && section.items === 0) signals.push(fired(rules[0] as Rule, evidence(section.heading)));
      section = undefined;
    };
    for (const line of logicalLines(note.body)) {
      const level = headingLevel(line);
      if (level !== undefined && section && level <= section.level) closeSection();
      if (line.length > 1000 || seen.has(`${note.version}\0${line}`)) continue;
      seen.add(`${note.version}\0${line}`);
      if (retractions.test(line) || (range && namesOnlyOtherVersions(line, range))) continue;
      const rule = rules.find((candidate) => candidate.pattern.test(line) && !(candidate.severity === "breaking" && denials.test(line) && candidate.id !== "dropped-support"));
      if (level !== undefined && rule?.id === "breaking-change") {
        closeSection();
        section = { level, heading: line, items: 0 };
        continue;
      }
      if (section && level === undefined) {
        section.items++;
        const own = rule && rule.severity === "breaking" ? rule : undefined;
        signals.push(own ? fired(own, evidence(line)) : { ...fired(rules[0] as Rule, evidence(line)), message: `listed under "${section.heading.replace(/^#+\s*/, "")}"` });
        continue;
      }
      if (rule) signals.push(fired(rule, evidence(line)));
    }
    closeSection();
  }
  const order = { breaking: 0, risky: 1, info: 2 };
  return signals.sort((a, b) => order[a.severity] - order[b.severity]).slice(0, maxSignalsPerBump);
}

function fired(rule: Rule, evidence: NonNullable<Signal["evidence"]>): Signal {
  return { analyzer: "heuristic", rule: `heuristic/${rule.id}`, severity: rule.severity, message: rule.message, evidence };
}

// "## Breaking" is level 2; bold-only lines ("**Breaking changes**") count as level 6 headings.
function headingLevel(line: string): number | undefined {
  const hashes = /^(#{1,6})\s/.exec(line);
  if (hashes) return hashes[1]?.length;
  return /^\*\*[^*]+\*\*:?$/.test(line) ? 6 : undefined;
}

// A list item or paragraph wrapped over several lines is one statement: join the lines that continue it.
const startsStatement = /^\s*(?:[-*+]\s|\d+[.)]\s|#|>|\||```|<|=+$|-+$)/;

export function logicalLines(body: string): string[] {
  const lines: string[] = [];
  let current: string | undefined;
  for (const raw of body.split(/\r?\n/)) {
    const text = raw.trim();
    if (text.length === 0) {
      if (current !== undefined) lines.push(current);
      current = undefined;
    } else if (current === undefined || startsStatement.test(raw) || /^#/.test(current)) {
      if (current !== undefined) lines.push(current);
      current = text;
    } else {
      current = `${current} ${text}`;
    }
  }
  if (current !== undefined) lines.push(current);
  return lines;
}

const versionMention = /(?<![\w.])(?:v(?=\d)|version\s+|in\s+|since\s+|until\s+)?(\d+\.\d+\.\d+)(?![\w.])/gi;
const nodeBefore = /\b(?:node(?:\.?js)?|npm|typescript|ts|react|deno|bun|python|pip|django|pydantic)\s*(?:v|version|>=?|<=?|\^|~)?\s*$/i;

// "Breaking changes in 3.0.0: …" quoted in the notes of 2.4.0 is not about this bump.
function namesOnlyOtherVersions(line: string, range: BumpRange): boolean {
  const { versioning } = range;
  const named: string[] = [];
  for (const match of line.matchAll(versionMention)) {
    const before = line.slice(Math.max(0, (match.index ?? 0) - 16), match.index);
    if (nodeBefore.test(before)) continue;
    if (match[1]) named.push(match[1]);
  }
  if (named.length === 0) return false;
  return named.every((version) => versioning.normalise(version) === null || versioning.compare(version, range.from) <= 0 || versioning.compare(version, range.to) > 0);
}
