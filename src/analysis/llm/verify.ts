import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Signal, SuggestedEdit } from "../../types.js";
import { unsafeFile } from "../../safe-file.js";
import type { LlmReply } from "./reply.js";

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

// A quote with its Markdown emphasis, backticks, bullets or typographic quotes dropped is the same
// quote: both sides are normalised the same way before matching; the original is kept for display.
const normalise = (text: string) =>
  text
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
  sent: { notes: Map<string, string>; files: string[]; urls: Map<string, string>; types?: string; manifest?: string; usedSymbols?: ReadonlySet<string> },
  projectDir: string,
): Promise<VerifiedReply> {
  const dropped: string[] = [];
  const signals: Signal[] = [];
  const notes = [...sent.notes].map(([version, body]) => [version, normalise(body)] as const);
  const types = normalise(sent.types ?? "");
  const manifest = normalise(sent.manifest ?? "");
  for (const change of reply.changes) {
    const quote = normalise(change.evidence);
    const long = quote.length >= 8;
    if (change.source === "types" || change.source === "manifest") {
      const text = change.source === "types" ? types : manifest;
      if (!long || !text.includes(quote)) {
        dropped.push(`claim dropped, its quote is not in the ${change.source === "types" ? "type declarations" : "package manifests"} sent: "${truncate(change.summary, 120)}"`);
        continue;
      }
      // A declaration change counts like a notes quote only on a symbol the project uses.
      const used = change.source === "manifest" || !sent.usedSymbols || change.symbols.some((symbol) => sent.usedSymbols?.has(symbol.split(".")[0] ?? ""));
      signals.push({
        analyzer: "llm",
        rule: `llm/${change.severity}`,
        severity: used ? change.severity : "info",
        message: `${change.migration ? `${change.summary} — ${change.migration}` : change.summary}${used ? "" : " (a symbol this project does not use)"}`,
        evidence: { quote: change.evidence.trim(), version: change.version, source: change.source },
        ...(change.symbols.length ? { symbols: change.symbols } : {}),
      });
      continue;
    }
    const found = long ? (notes.find(([version, body]) => version === change.version && body.includes(quote)) ?? notes.find(([, body]) => body.includes(quote))) : undefined;
    if (!found) {
      dropped.push(`claim dropped, its quote is not in the release notes: "${truncate(change.summary, 120)}"`);
      continue;
    }
    const url = sent.urls.get(found[0]);
    signals.push({
      analyzer: "llm",
      rule: `llm/${change.severity}`,
      severity: change.severity,
      message: change.migration ? `${change.summary} — ${change.migration}` : change.summary,
      evidence: { quote: change.evidence.trim(), version: found[0], source: "notes", ...(url ? { url } : {}) },
      ...(change.symbols.length ? { symbols: change.symbols } : {}),
    });
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
