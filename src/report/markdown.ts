import { apiSummary, bySeverity } from "./api.js";
import type { BumpReview, Review } from "../review/types.js";
import type { Signal, VerdictLevel } from "../types.js";
import { escapeHtml, escapeMarkdown, fencedText, inlineCode } from "./escape.js";

/** GitHub caps a PR body at 65,536 characters; stay well under it. */
export const markdownBudget = 60_000;

const verdictOrder: VerdictLevel[] = ["breaking", "risky", "unknown", "safe"];
const verdictLabel: Record<VerdictLevel, string> = {
  breaking: "🔴 breaking",
  risky: "🟠 risky",
  unknown: "⚪ unknown",
  safe: "🟢 safe",
};

export function renderMarkdown(review: Review, budget = markdownBudget): string {
  const bumps = [...review.bumps].sort(
    (a, b) =>
      verdictOrder.indexOf(a.verdict.verdict) - verdictOrder.indexOf(b.verdict.verdict) || a.name.localeCompare(b.name),
  );
  const head = [header(review), ""].join("\n");
  const tail = [heldBack(review), errors(review), footer(review)].filter(Boolean).join("\n");
  const parts: string[] = [head];
  let used = head.length + tail.length + 400;

  const rows = bumps.map(tableRow);
  const tableHead = "| Package | From → To | Type | Verdict | Top reason |\n|---|---|---|---|---|\n";
  let shownRows = 0;
  let table = tableHead;
  for (const row of rows) {
    if (used + table.length + row.length > budget * 0.5) break;
    table += row;
    shownRows++;
  }
  if (bumps.length > 0) parts.push(table);
  if (shownRows < bumps.length) parts.push(`_${bumps.length - shownRows} more bumps are in report.json._\n`);
  used += table.length;

  const details: string[] = [];
  let shownDetails = 0;
  for (const bump of bumps) {
    const block = detailBlock(bump);
    if (used + block.length > budget) break;
    details.push(block);
    used += block.length;
    shownDetails++;
  }
  if (details.length > 0) parts.push("## Details\n", ...details);
  if (shownDetails < bumps.length)
    parts.push(`_Details of ${bumps.length - shownDetails} bumps are left out to fit; see report.json._\n`);
  parts.push(tail);
  return parts.join("\n");
}

function header(review: Review): string {
  const s = review.summary;
  const lines = [
    "# bumpwise report",
    "",
    `**${s.bumps} ${s.bumps === 1 ? "bump" : "bumps"}** available (${review.options.target} and patch, ${review.options.all ? "all packages" : "direct dependencies"}) in ${inlineCode(review.project.lockfile)} (${review.project.manager}, ${s.packages} packages, ${s.directPackages} direct): ` +
      `${s.breaking} breaking, ${s.risky} risky, ${s.safe} safe, ${s.unknown} unknown.`,
  ];
  if (!review.llm.used) lines.push("", `> **LLM not used.** ${review.llm.note}`);
  else {
    const llm = review.llm;
    lines.push(
      "",
      `> Reviewed with ${inlineCode(llm.model ?? "")}: ${llm.calls} calls (${llm.cachedReplies} cached replies), ${llm.inputTokens} input / ${llm.outputTokens} output / ${llm.cacheReadTokens} cache-read tokens, about $${llm.estimatedCostUsd.toFixed(4)}. ${llm.note}`,
    );
  }
  if (review.notes.read) {
    lines.push("", `Release notes cover every version in between for ${review.notes.bumpsWithAllNotes} of ${s.bumps} bumps.`);
    if (review.notes.note) lines.push("", `> ${escapeMarkdown(review.notes.note)}`);
  } else {
    lines.push("", "> Release notes were not read (--no-notes).");
  }
  return lines.join("\n");
}

function tableRow(bump: BumpReview): string {
  const cells = [
    inlineCode(bump.name),
    `${bump.from} → ${bump.to}`,
    bump.type,
    verdictLabel[bump.verdict.verdict],
    escapeMarkdown(truncate(bump.verdict.reason, 140)),
  ];
  return `| ${cells.join(" | ")} |\n`;
}

function detailBlock(bump: BumpReview): string {
  const lines = [
    `<details><summary><b>${escapeHtml(bump.name)}</b> ${bump.from} → ${bump.to} (${bump.type}, ${bump.verdict.verdict})</summary>`,
    "",
    `- Versions in between: ${listVersions(bump.versionsInBetween)}`,
    `- ${bump.direct ? `Direct dependency of ${bump.importers.map(inlineCode).join(", ")}` : "Transitive dependency"}${bump.dev ? " (dev only)" : ""}`,
  ];
  if (bump.publishedAt)
    lines.push(`- ${bump.to} published ${bump.publishedAt.slice(0, 10)} (as the registry reports it)`);
  if (bump.apiDiff) lines.push(`- ${escapeMarkdown(apiSummary(bump.apiDiff))}`);
  if (bump.signals.length === 0) lines.push("- No signals.");
  else lines.push("- Signals:", ...bySeverity(bump.signals).slice(0, 12).map(signalLine));
  if (bump.signals.length > 12) lines.push(`  - …and ${bump.signals.length - 12} more in report.json`);
  lines.push(...llmLines(bump));
  lines.push(...releaseNotesLines(bump));
  lines.push("", "</details>", "");
  return lines.join("\n");
}

function llmLines(bump: BumpReview): string[] {
  const llm = bump.llm;
  if (!llm) return [];
  if ("error" in llm) return [`- Claude: not reviewed (${escapeMarkdown(llm.error)})`];
  const lines = [`- Claude: **${llm.verdict}** (confidence ${llm.confidence.toFixed(2)}${llm.cached ? ", cached" : ""}): ${escapeMarkdown(llm.summary)}`];
  if (llm.affectsYouReasoning) lines.push(`- Affects this project: ${escapeMarkdown(llm.affectsYouReasoning)}`);
  for (const dropped of llm.dropped) lines.push(`  - ${escapeMarkdown(dropped)}`);
  for (const edit of bump.edits) {
    lines.push(`- Suggested edit to ${inlineCode(edit.file)}: ${escapeMarkdown(edit.reason)}`, "", fencedDiff(edit.search, edit.replace));
  }
  return lines;
}

function fencedDiff(search: string, replace: string): string {
  const diff = [...search.split("\n").map((line) => `- ${line}`), ...replace.split("\n").map((line) => `+ ${line}`)].join("\n");
  return fencedText(diff).replace(/^(`{3,})text/, "$1diff");
}

const notesShown = 8;
const notesChars = 1500;

function releaseNotesLines(bump: BumpReview): string[] {
  const { versions, missing } = bump.releaseNotes;
  const total = bump.versionsInBetween.length;
  const lines = [`- Release notes: ${versions.length} of ${total} versions${sourceCounts(bump)}`];
  if (missing.length > 0) lines.push(`- No release notes found for: ${listVersions(missing)}`);
  for (const attempt of bump.notesSources.filter((a) => a.outcome === "error" || a.outcome === "skipped")) {
    lines.push(`  - ${attempt.source} ${attempt.outcome}: ${escapeMarkdown(attempt.detail)}`);
  }
  const newestFirst = [...versions].reverse();
  for (const note of newestFirst.slice(0, notesShown)) {
    const body = note.body.length > notesChars ? `${note.body.slice(0, notesChars)}\n… (truncated; full text in report.json)` : note.body;
    lines.push("", `<details><summary>${escapeHtml(note.version)} — ${note.source}</summary>`, "", fencedText(body), "", "</details>");
  }
  if (versions.length > notesShown) lines.push("", `_Notes of ${versions.length - notesShown} older versions are in report.json._`);
  return lines;
}

function sourceCounts(bump: BumpReview): string {
  const counts = new Map<string, number>();
  for (const note of bump.releaseNotes.versions) counts.set(note.source, (counts.get(note.source) ?? 0) + 1);
  if (counts.size === 0) return "";
  return ` (${[...counts].map(([source, count]) => `${source}: ${count}`).join(", ")})`;
}

function signalLine(signal: Signal): string {
  let line = `  - **${signal.severity}** ${inlineCode(signal.rule)}: ${escapeMarkdown(signal.message)}`;
  if (signal.evidence) line += `\n    ${inlineCode(truncate(signal.evidence.quote, 300))} (${signal.evidence.version})`;
  return line;
}

function listVersions(versions: string[]): string {
  if (versions.length <= 12) return versions.join(", ");
  return `${versions.slice(0, 5).join(", ")}, … ${versions.slice(-5).join(", ")} (${versions.length} versions)`;
}

function heldBack(review: Review): string {
  if (review.heldBack.length === 0) return "";
  const rows = review.heldBack
    .slice(0, 50)
    .map((held) => `| ${inlineCode(held.name)} | ${held.from} | ${held.newest} | ${escapeMarkdown(held.reason)} |`);
  const more = review.heldBack.length > 50 ? `\n_${review.heldBack.length - 50} more in report.json._\n` : "";
  return ["## Held back", "", "| Package | Locked | Newest | Why |", "|---|---|---|---|", ...rows, more].join("\n");
}

function errors(review: Review): string {
  if (review.errors.length === 0) return "";
  const rows = review.errors
    .slice(0, 50)
    .map((error) => `| ${inlineCode(error.package)} | ${error.code} | ${escapeMarkdown(error.message)} |`);
  const more = review.errors.length > 50 ? `\n_${review.errors.length - 50} more in report.json._\n` : "";
  return [
    "## Packages that could not be checked",
    "",
    "| Package | Error | Detail |",
    "|---|---|---|",
    ...rows,
    more,
  ].join("\n");
}

function footer(review: Review): string {
  return `\n---\n_Generated by bumpwise ${review.tool.version} on ${review.generatedAt.slice(0, 10)}._\n`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
