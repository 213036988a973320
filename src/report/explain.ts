import { countOf } from "../words.js";
import type { BumpReview } from "../review-types.js";
import { apiSummary, bySeverity } from "./api.js";

const bodyLines = 30;

/** `bumpwise explain` for a terminal: what was tried, what was found, what it means. */
export function renderExplanation(review: BumpReview, notesNote: string | undefined): string {
  const lines = [
    `${review.name} ${review.from} → ${review.to} (${review.type}${review.type === "major" ? ", reviewed with the same evidence as a minor" : ""}): ${review.verdict.verdict} (confidence ${review.verdict.confidence})`,
    `  ${clean(review.verdict.reason)}`,
    "",
    `Versions in between (${review.versionsInBetween.length}): ${review.versionsInBetween.join(", ")}`,
    "",
    "Sources tried:",
    ...review.notesSources.map((attempt) => `  ${attempt.source.padEnd(15)} ${attempt.outcome.padEnd(8)} ${clean(attempt.detail)}`),
  ];
  if (review.notesSources.length === 0) lines.push("  none needed (notes cached)");
  if (notesNote) lines.push(`  note: ${clean(notesNote)}`);
  lines.push("", `Signals (${review.signals.length}):`);
  for (const signal of bySeverity(review.signals)) {
    lines.push(`  ${signal.severity.padEnd(8)} ${signal.rule}: ${clean(signal.message)}`);
    if (signal.evidence) lines.push(`           "${clean(signal.evidence.quote)}" (${signal.evidence.version})`);
  }
  if (review.signals.length === 0) lines.push("  none");
  lines.push("", `Release notes (${review.releaseNotes.versions.length} of ${countOf(review.versionsInBetween.length, "version")}):`);
  for (const note of [...review.releaseNotes.versions].reverse()) {
    lines.push("", `── ${note.version} (${note.source}${note.url ? `, ${clean(note.url)}` : ""})`);
    const body = note.body.split(/\r?\n/);
    lines.push(...body.slice(0, bodyLines).map((line) => `   ${clean(line)}`));
    if (body.length > bodyLines) lines.push(`   … ${body.length - bodyLines} more lines (--json for all)`);
  }
  if (review.releaseNotes.missing.length > 0) lines.push("", `Missing notes: ${review.releaseNotes.missing.join(", ")}`);
  if (review.apiDiff) lines.push("", ...apiLines(review.apiDiff));
  return `${lines.join("\n")}\n`;
}

function apiLines(result: NonNullable<BumpReview["apiDiff"]>): string[] {
  const lines = [clean(apiSummary(result))];
  if ("unavailable" in result) return lines;
  for (const finding of result.findings) {
    lines.push(`  ${finding.tier.padEnd(9)} ${finding.rule.padEnd(32)} ${clean(finding.symbol)}: ${clean(finding.message)}`);
    if (finding.detail) lines.push(`            compiler: ${clean(finding.detail)}`);
    if (finding.reachedThrough?.length) lines.push(`            reached through: ${clean(finding.reachedThrough.slice(0, 5).join(", "))}${finding.reachedThrough.length > 5 ? ` and ${finding.reachedThrough.length - 5} more` : ""}`);
  }
  if (result.findings.length === 0) lines.push("  no difference in the public API");
  return lines;
}

// Untrusted text must not drive the terminal: no escape sequences or other control characters.
function clean(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "");
}
