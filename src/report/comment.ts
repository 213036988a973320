import { strengthOf } from "../analysis/evidence.js";
import type { BumpReview, Review } from "../review-types.js";
import type { Signal } from "../types.js";
import { bySeverity } from "./api.js";
import { escapeHtml, escapeMarkdown, inlineCode } from "./escape.js";
import { pulledBy, renderLockChangeSection } from "./lock-change.js";
import { sortForReview } from "./markdown.js";

/** Finds bumpwise's own comment on a pull request again: GitHub renders nothing for it. */
export const commentMarker = "<!-- bumpwise -->";

/** GitHub refuses comments over 65,536 characters; the collapsed rest gives way first, then whole bumps (never part of one). */
const commentBudget = 60_000;
const signalsShown = 4;

export interface CommentContext {
  /** --fail-on: the one-line verdict says whether this review fails the check. */
  failOn: "breaking" | "risky" | "never";
  /** The Actions run whose artifacts hold the full report. */
  runUrl?: string;
}

/**
 * The pull request comment: one line verdict, the bumps that matter (breaking, risky) with their
 * evidence and its strength, the rest collapsed. Text from packages and Claude is escaped as in the report.
 */
export function renderComment(review: Review, context: CommentContext): string {
  const bumps = sortForReview(review.bumps);
  const matter = bumps.filter((bump) => bump.verdict.verdict === "breaking" || bump.verdict.verdict === "risky");
  const rest = bumps.filter((bump) => !matter.includes(bump));
  const head = [commentMarker, verdictLine(review, context), ""].join("\n");
  const blocks = matter.map((bump) => `${matterBlock(bump).join("\n")}\n`);
  const folded: string[] = [];
  if (rest.length > 0) folded.push(`| Package | From → To | Type | Verdict | Reason |\n|---|---|---|---|---|\n${rest.map(restRow).join("")}`);
  const lockSection = renderLockChangeSection(review);
  if (lockSection) folded.push(lockSection.replace(/^## /, "#### "));
  if (review.errors.length > 0) folded.push(`Could not be checked: ${review.errors.map((error) => `${inlineCode(error.package)} (${escapeMarkdown(error.message)})`).join("; ")}`);
  const summary = [rest.length > 0 ? `${rest.length} more ${rest.length === 1 ? "bump" : "bumps"} (safe or unknown)` : "", lockSection ? "packages added, removed or downgraded" : "", review.errors.length > 0 ? `${review.errors.length} not checked` : ""].filter(Boolean).join(", ");
  const details = folded.length > 0 ? `<details><summary>${escapeHtml(summary)}</summary>\n\n${folded.join("\n")}\n\n</details>\n` : "";
  const end = footer(review, context);
  const whole = [head, ...blocks, details, end].join("\n");
  if (whole.length <= commentBudget) return whole;
  // Over GitHub's limit: the collapsed rest gives way first, then the risky and breaking bumps from the
  // least important up, each named; the evidence of a bump that is shown is never cut.
  const restLine = summary ? `${summary}: in the full report.\n` : "";
  // The line that names the bumps left out is at most about 450 characters.
  let room = commentBudget - head.length - restLine.length - end.length - 600;
  const shown: string[] = [];
  for (const block of blocks) {
    if (block.length + 1 > room) break;
    shown.push(block);
    room -= block.length + 1;
  }
  const left = matter.slice(shown.length);
  const leftNames: string[] = [];
  for (const bump of left) {
    const name = `${inlineCode(bump.name)} (${bump.verdict.verdict})`;
    if (leftNames.join(", ").length + name.length > 300) break;
    leftNames.push(name);
  }
  const unnamed = left.length - leftNames.length;
  const leftLine = left.length > 0 ? `…and ${left.length} more breaking or risky ${left.length === 1 ? "bump" : "bumps"}, cut at GitHub's comment limit: ${leftNames.join(", ")}${unnamed > 0 ? ` and ${unnamed} more` : ""} (all in the full report).\n` : "";
  return [head, ...shown, leftLine, restLine, end].filter(Boolean).join("\n");
}

function verdictLine(review: Review, context: CommentContext): string {
  const s = review.summary;
  const scope = review.lockChange ? `the lockfile change since ${inlineCode(review.lockChange.base)}` : "the available upgrades";
  if (s.bumps === 0) return `**bumpwise: no version upgrade to review** in ${scope} (${inlineCode(review.project.lockfile)}).`;
  const icon = s.breaking > 0 ? "🔴" : s.risky > 0 ? "🟠" : s.unknown > 0 ? "⚪" : "🟢";
  const counts = [`${s.breaking} breaking`, `${s.risky} risky`, `${s.safe} safe`, ...(s.unknown > 0 ? [`${s.unknown} unknown`] : [])].join(", ");
  const gate = context.failOn === "never" ? "" : failsOn(review, context.failOn) ? ` Fails the check (--fail-on ${context.failOn}).` : ` Passes --fail-on ${context.failOn}.`;
  return `${icon} **bumpwise: ${counts}** of ${s.bumps} ${s.bumps === 1 ? "bump" : "bumps"} in ${scope} (${inlineCode(review.project.lockfile)}).${gate}`;
}

/** Whether the review reaches --fail-on: the exit code and the commit status follow this. */
export function failsOn(review: Review, failOn: CommentContext["failOn"]): boolean {
  if (failOn === "never") return false;
  if (failOn === "breaking") return review.summary.breaking > 0;
  return review.summary.breaking + review.summary.risky > 0;
}

function matterBlock(bump: BumpReview): string[] {
  const where = bump.direct ? "direct" : `transitive${pulledBy(bump.pulledBy)}`;
  const used = bump.usedBy ? (bump.usedBy.files.length === 0 ? "not imported by your code" : `imported by ${bump.usedBy.files.length} ${bump.usedBy.files.length === 1 ? "file" : "files"}`) : "";
  const head = `### ${bump.verdict.verdict === "breaking" ? "🔴" : "🟠"} ${inlineCode(bump.name)} ${escapeMarkdown(bump.from)} → ${escapeMarkdown(bump.to)} — ${bump.verdict.verdict} (${bump.verdict.strength})`;
  const lines = [head, "", `${bump.type}${bump.type === "major" ? " (chosen by the pull request, reviewed like the others)" : ""}, ${where}${bump.dev ? ", dev" : ""}${used ? `, ${used}` : ""}. ${escapeMarkdown(bump.verdict.reason)}`, ""];
  const serious = bySeverity(bump.signals.filter((signal) => signal.severity !== "info"));
  for (const signal of serious.slice(0, signalsShown)) lines.push(evidenceLine(signal));
  if (serious.length > signalsShown) lines.push(`- …and ${serious.length - signalsShown} more in the full report`);
  for (const edit of bump.edits.slice(0, 3)) lines.push(`- Suggested edit to ${inlineCode(edit.file)}: ${escapeMarkdown(edit.reason)}`);
  if (bump.disagreement) lines.push(`- Claude disagrees: ${escapeMarkdown(bump.disagreement.claude)}`);
  return lines;
}

function evidenceLine(signal: Signal): string {
  const site = signal.touches?.[0] ? ` at ${inlineCode(`${signal.touches[0].file}:${signal.touches[0].line}`)}` : "";
  let line = `- **${signal.severity}**, ${strengthOf(signal)}: ${escapeMarkdown(signal.message)}${site}`;
  if (signal.fact) line += ` — decided by ${escapeMarkdown(signal.fact)}`;
  if (signal.evidence) line += `\n  > ${inlineCode(signal.evidence.quote.length > 240 ? `${signal.evidence.quote.slice(0, 239)}…` : signal.evidence.quote)} (${escapeMarkdown(signal.evidence.version)})`;
  return line;
}

function restRow(bump: BumpReview): string {
  const reason = bump.verdict.reason.length > 140 ? `${bump.verdict.reason.slice(0, 139)}…` : bump.verdict.reason;
  const name = bump.direct ? inlineCode(bump.name) : `${inlineCode(bump.name)} (transitive${pulledBy(bump.pulledBy)})`;
  return `| ${name} | ${escapeMarkdown(bump.from)} → ${escapeMarkdown(bump.to)} | ${bump.type} | ${bump.verdict.verdict} | ${escapeMarkdown(reason)} |\n`;
}

function footer(review: Review, context: CommentContext): string {
  const llm = review.llm.used ? "" : " Claude was not asked: the verdicts come from deterministic analysis only.";
  const full = context.runUrl ? `the full report is in [this run's artifacts](${context.runUrl})` : "the full report is in report.md";
  return `<sub>bumpwise ${escapeMarkdown(review.tool.version)}: evidence strengths, strongest first, are proven, fact, quoted, inferred; breaking needs one of the first three.${llm} ${full}; this comment is updated on every push.</sub>\n`;
}
