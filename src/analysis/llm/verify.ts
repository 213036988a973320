import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Signal, SuggestedEdit } from "../../types.js";
import { unsafeFile } from "../../safe-file.js";
import type { LlmReply } from "./reply.js";
import { plainLinks } from "./condense.js";

export interface VerifiedReply {
  verdict: LlmReply["verdict"];
  confidence: number;
  summary: string;
  affectsYou: boolean | null;
  affectsYouReasoning: string;
  /** Changes whose quote was found in the notes sent, as signals. */
  signals: Signal[];
  edits: SuggestedEdit[];
  /** What was thrown out and why, for the report. */
  dropped: string[];
}

// A quote (or each part of one joined by an ellipsis) must be this long to mean something.
const minimumPart = 8;

// A quote with its Markdown emphasis, backticks, bullets, typographic quotes or link markup dropped is
// the same quote: both sides are normalised the same way before matching; the original is kept for display.
const normalise = (text: string) =>
  plainLinks(text)
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/(^|\n)\s*(?:[-*+]|\d+[.)])\s+/g, "$1")
    .replace(/[`*_]/g, "")
    .replace(/\s+/g, " ")
    .trim();

/**
 * Trust but verify: a change counts only if its quote occurs (normalised) in the text of its source that
 * was sent — the notes (in the version it names or any other), the type declarations or the package
 * manifests; an edit only if it targets a file sent as usage and its search text occurs exactly once
 * in that file.
 */
export async function verifyReply(
  reply: LlmReply,
  sent: {
    notes: Map<string, string>;
    files: string[];
    urls: Map<string, string>;
    types?: string;
    manifest?: string;
    usedSymbols?: ReadonlySet<string>;
    /** The use sites and project facts sent: a change "reaches" the project only at one of these. */
    sites?: { file: string; line: number }[];
    facts?: string[];
  },
  projectDir: string,
): Promise<VerifiedReply> {
  const dropped: string[] = [];
  const signals: Signal[] = [];
  const notes = [...sent.notes].map(([version, body]) => [version, normalise(body)] as const);
  const types = normalise(sent.types ?? "");
  const manifest = normalise(sent.manifest ?? "");
  for (const change of reply.changes) {
    const quote = normalise(change.evidence);
    const long = quote.length >= minimumPart;
    if (change.source === "types" || change.source === "manifest") {
      const text = change.source === "types" ? types : manifest;
      if (!long || !quoteIn(text, quote)) {
        dropped.push(`claim dropped, its quote is not in the ${change.source === "types" ? "type declarations" : "package manifests"} sent: "${truncate(change.summary, 120)}"`);
        continue;
      }
      // A declaration change counts like a notes quote only on a symbol the project uses.
      const used = change.source === "manifest" || !sent.usedSymbols || change.symbols.some((symbol) => sent.usedSymbols?.has(symbol.split(".")[0] ?? ""));
      const claim = { quote: change.evidence.trim(), version: change.version, source: change.source };
      signals.push(used ? forProject(change, claim, sent) : { ...base(change, claim), severity: "info", strength: "inferred", message: `${describe(change)} (a symbol this project does not use)` });
      continue;
    }
    const found = long ? (notes.find(([version, body]) => version === change.version && quoteIn(body, quote)) ?? notes.find(([, body]) => quoteIn(body, quote))) : undefined;
    if (!found) {
      dropped.push(`claim dropped, its quote is not in the release notes: "${truncate(change.summary, 120)}"`);
      continue;
    }
    const url = sent.urls.get(found[0]);
    signals.push(forProject(change, { quote: change.evidence.trim(), version: found[0], source: "notes", ...(url ? { url } : {}) }, sent));
  }
  const edits: SuggestedEdit[] = [];
  for (const edit of reply.edits) {
    const problem = await editProblem(edit, sent.files, projectDir);
    if (problem) dropped.push(`edit to ${edit.file} dropped: ${problem}`);
    else edits.push(edit);
  }
  return {
    verdict: reply.verdict,
    confidence: Math.min(1, Math.max(0, reply.confidence)),
    summary: reply.summary,
    affectsYou: reply.affectsYou.affected === "unknown" ? null : reply.affectsYou.affected === "yes",
    affectsYouReasoning: reply.affectsYou.reasoning,
    signals,
    edits,
    dropped,
  };
}

type Change = LlmReply["changes"][number];
type Claim = NonNullable<Signal["evidence"]>;

const describe = (change: Change) => (change.migration ? `${change.summary} — ${change.migration}` : change.summary);

function base(change: Change, evidence: Claim): Signal {
  return { analyzer: "llm", rule: `llm/${change.severity}`, severity: change.severity, message: describe(change), evidence, ...(change.symbols.length ? { symbols: change.symbols } : {}) };
}

/**
 * Ask per change, merge per project: a verified claim counts at its severity only where Claude says it
 * reaches this project, at a use site or project fact that was sent (quoted evidence). "Yes" without
 * one is a reading (inferred: at most risky); "no" or "unknown" is info on the row.
 */
function forProject(change: Change, evidence: Claim, sent: Parameters<typeof verifyReply>[1]): Signal {
  const claim = base(change, evidence);
  // No project (explain): the change is judged for a typical consumer, at its own severity.
  if (change.severity === "info" || sent.sites === undefined) return { ...claim, strength: "inferred" };
  if (change.affects !== "yes") {
    const why = change.affects === "no" ? "Claude: it does not reach this project" : "Claude cannot tell whether it reaches this project";
    return { ...claim, severity: "info", strength: "inferred", message: `${claim.message} (${why})` };
  }
  const site = sentSite(change.reaches, sent.sites ?? []);
  if (site) return { ...claim, strength: "quoted", touches: [site], fact: `reaches ${site.file}:${site.line}` };
  const fact = sentFact(change.reaches, sent.facts ?? []);
  if (fact) return { ...claim, strength: "quoted", fact };
  return { ...claim, strength: "inferred", message: `${claim.message} (Claude names no use site that was sent)` };
}

// "src/app.ts:12" (or "src/app.ts:12 call redirect", as the sites were listed) matches a site sent.
function sentSite(reaches: string, sites: { file: string; line: number }[]): { file: string; line: number } | undefined {
  const match = /^\s*([^\s:]+):(\d+)\b/.exec(reaches);
  if (!match) return undefined;
  const file = path.posix.normalize(match[1]!.replace(/\\/g, "/"));
  return sites.find((site) => site.file === file && site.line === Number(match[2]));
}

// A project fact as sent ("Node.js it supports: >=14 (engines.node)"): named by a long enough part of its line.
function sentFact(reaches: string, facts: string[]): string | undefined {
  const wanted = normalise(reaches);
  if (wanted.length < 8) return undefined;
  return facts.find((fact) => normalise(fact).includes(wanted) || wanted.includes(normalise(fact)));
}

/**
 * Whether a (normalised) quote is in a (normalised) text, accepting what models write and nothing
 * more: a trailing period the notes lack, a first letter whose case changed, and an ellipsis joining
 * parts that each occur, in order, in the same text (each part long enough to mean something).
 */
export function quoteIn(text: string, quote: string): boolean {
  const parts = quote.split(/\s*(?:…|\.\.\.)\s*/).map((part) => part.replace(/\.$/, "").trim()).filter((part) => part.length > 0);
  if (parts.length === 0 || parts.some((part) => part.length < minimumPart)) return false;
  let from = 0;
  for (const part of parts) {
    const at = firstOf(text, part, from);
    if (at === -1) return false;
    from = at + part.length;
  }
  return true;
}

function firstOf(text: string, part: string, from: number): number {
  const flipped = part.charAt(0) === part.charAt(0).toLowerCase() ? part.charAt(0).toUpperCase() + part.slice(1) : part.charAt(0).toLowerCase() + part.slice(1);
  const found = [text.indexOf(part, from), text.indexOf(flipped, from)].filter((index) => index !== -1);
  return found.length > 0 ? Math.min(...found) : -1;
}

async function editProblem(edit: SuggestedEdit, files: string[], projectDir: string): Promise<string | undefined> {
  const file = path.posix.normalize(edit.file.replace(/\\/g, "/"));
  if (!files.includes(file)) return "it is not a file that imports the package";
  if (edit.search.length === 0) return "empty search text";
  const unsafe = await unsafeFile(projectDir, file);
  if (unsafe) return unsafe;
  let content: string;
  try {
    content = await readFile(path.join(projectDir, file), "utf8");
  } catch {
    return "the file cannot be read";
  }
  const first = content.indexOf(edit.search);
  if (first === -1) return "its search text is not in the file";
  if (content.indexOf(edit.search, first + 1) !== -1) return "its search text occurs more than once";
  return undefined;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
