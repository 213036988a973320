import { countOf } from "../words.js";
import { strengthMeaning, strengthOf, strengthOrder, strengthRank } from "../analysis/evidence.js";
import { apiSummary, bySeverity } from "./api.js";
import { priceOf } from "../analysis/llm/pricing.js";
import type { BumpReview, Review } from "../review-types.js";
import type { Signal, VerdictLevel } from "../types.js";
import { escapeHtml, escapeMarkdown, fencedText, inlineCode, notesMarkdown } from "./escape.js";
import { bumpsScope, pulledBy, renderLockChangeSection } from "./lock-change.js";

/** GitHub caps a PR body at 65,536 characters; stay well under it. */
export const markdownBudget = 60_000;

const verdictLabel: Record<VerdictLevel, string> = {
  breaking: "🔴 breaking",
  risky: "🟠 risky",
  unknown: "⚪ unknown",
  safe: "🟢 safe",
};

/** `runUrl`: the CI run whose artifacts hold report.html (GitHub Actions). */
export function renderMarkdown(review: Review, budget = markdownBudget, links: { runUrl?: string } = {}): string {
  const bumps = sortForReview(review.bumps);
  const head = [header(review), "", ...(review.branch ? [branchSections(review, review.branch), ""] : [])].join("\n");
  const moved = review.branch ? renderMovedSection(review.branch.tool, review.branch.moved) : "";
  const tail = [renderLockChangeSection(review), heldBack(review), majorsSection(review), errors(review), moved, footer(review, links.runUrl)].filter(Boolean).join("\n");
  const parts: string[] = [head];
  let used = head.length + tail.length + 600;

  // Five columns: GitHub cuts a wider table at the PR body's width.
  const tableHead = "| Package | From → To | Verdict | Used by you | Top reason |\n|---|---|---|---|---|\n";
  let shownRows = 0;
  let table = tableHead;
  // With several workspaces, each row says whose bump it is (in the Package cell: five columns at most).
  const workspaces = severalWorkspaces(review);
  for (const row of bumps.map((bump) => tableRow(bump, workspaces))) {
    if (used + table.length + row.length > budget * 0.45) break;
    table += row;
    shownRows++;
  }
  if (bumps.length > 0) parts.push(table);
  if (shownRows < bumps.length) parts.push(`_${bumps.length - shownRows} more rows (safe and unknown bumps last) are in report.json._\n`);
  used += table.length;

  const { blocks, left } = budgetDetails(bumps, budget - used);
  if (blocks.length > 0) parts.push("## Details\n", ...blocks);
  if (left.length > 0) parts.push(`_Left out to stay under GitHub's 65,536-character PR body limit (all of it is in report.json): ${left.join("; ")}._\n`);
  parts.push(tail);
  return withoutMachinePath(parts.join("\n"), review.project.dir);
}

// The PR body is read elsewhere: the folder the review ran in (a home directory, a CI runner's path)
// becomes relative, in plain text and as escaped in prose.
function withoutMachinePath(markdown: string, dir: string): string {
  if (!dir || dir === "/" || dir === ".") return markdown;
  let out = markdown;
  for (const form of new Set([dir, escapeMarkdown(dir).replace(/\u200b/g, "")])) out = out.split(`${form}/`).join("").split(form).join(".");
  return out;
}

const verdictOrder: VerdictLevel[] = ["breaking", "risky", "unknown", "safe"];

/** By verdict, then the strength of its evidence (proven first), then prod before dev, then used by the project's code before unused, then name. */
export function sortForReview(bumps: BumpReview[]): BumpReview[] {
  const used = (bump: BumpReview) => ((bump.usedBy?.files.length ?? 0) > 0 ? 0 : 1);
  return [...bumps].sort(
    (a, b) =>
      verdictOrder.indexOf(a.verdict.verdict) - verdictOrder.indexOf(b.verdict.verdict) ||
      strengthRank(a.verdict.strength) - strengthRank(b.verdict.strength) ||
      Number(a.dev) - Number(b.dev) ||
      used(a) - used(b) ||
      a.name.localeCompare(b.name),
  );
}

/**
 * Details within the budget, in priority order: every breaking and risky bump gets its signals
 * (info ones as counts), then their release notes while room remains, then the other bumps, then
 * their notes.
 * A breaking or risky bump never loses its signals.
 */
function budgetDetails(bumps: BumpReview[], room: number): { blocks: string[]; left: string[] } {
  const serious = (bump: BumpReview) => bump.verdict.verdict === "breaking" || bump.verdict.verdict === "risky";
  // Each bump's two renderings are made once: the budget compares their sizes several times.
  const rendered = new Map<BumpReview, { compact?: string; full?: string }>();
  const detailBlock = (bump: BumpReview, which: "compact" | "full") => {
    const blocks = rendered.get(bump) ?? {};
    const block = blocks[which] ?? renderDetail(bump, which);
    rendered.set(bump, { ...blocks, [which]: block });
    return block;
  };
  const level = new Map<BumpReview, "compact" | "full">();
  let used = 0;
  for (const bump of bumps.filter(serious)) {
    level.set(bump, "compact");
    used += detailBlock(bump, "compact").length;
  }
  let notesLeft = 0;
  for (const bump of bumps.filter(serious)) {
    const extra = detailBlock(bump, "full").length - detailBlock(bump, "compact").length;
    if (used + extra <= room) {
      level.set(bump, "full");
      used += extra;
    } else if (bump.releaseNotes.versions.length > 0) notesLeft++;
  }
  let othersLeft = 0;
  for (const bump of bumps.filter((candidate) => !serious(candidate))) {
    const size = detailBlock(bump, "compact").length;
    if (used + size <= room) {
      level.set(bump, "compact");
      used += size;
    } else othersLeft++;
  }
  for (const bump of bumps.filter((candidate) => !serious(candidate) && level.has(candidate))) {
    const extra = detailBlock(bump, "full").length - detailBlock(bump, "compact").length;
    if (used + extra > room) break;
    level.set(bump, "full");
    used += extra;
  }
  const left: string[] = [];
  if (notesLeft > 0) left.push(`the release notes of ${notesLeft} breaking or risky bump(s)`);
  if (othersLeft > 0) left.push(`the details of ${othersLeft} safe or unknown bump(s)`);
  const blocks = bumps.flatMap((bump) => {
    const chosen = level.get(bump);
    return chosen ? [detailBlock(bump, chosen)] : [];
  });
  return { blocks, left };
}

function header(review: Review): string {
  const s = review.summary;
  const lines = [
    "# bumpwise report",
    "",
    `**${s.bumps} ${s.bumps === 1 ? "bump" : "bumps"}** ${bumpsScope(review)} in ${review.project.parts ? review.project.parts.map((part) => `${inlineCode(part.lockfile)} (${part.manager})`).join(" and ") : `${inlineCode(review.project.lockfile)} (${review.project.manager}`}${review.project.parts ? " (" : ", "}${s.packages} packages, ${s.directPackages} direct): ` +
      `${s.breaking} breaking, ${s.risky} risky, ${s.safe} safe, ${s.unknown} unknown.`,
  ];
  const facts = review.project.facts;
  if (facts) {
    const runtime = [escapeMarkdown(facts.runtime), facts.language, ...(facts.type ? [`\`"type": "${facts.type}"\``] : [])].join(", ");
    lines.push("", `Measured against this project: ${runtime}, ${facts.sourceFiles} source files read.`);
    for (const note of facts.notes.slice(0, 10)) lines.push(`- ${escapeMarkdown(note)}`);
    if (facts.notes.length > 10) lines.push(`- …and ${facts.notes.length - 10} more notes in report.json`);
  }
  for (const note of review.project.lockfileNotes ?? []) lines.push("", `> **Lockfile:** ${escapeMarkdown(note)}`);
  lines.push("", `Evidence, strongest first: ${strengthOrder.map((strength) => `**${strength}** (${strengthMeaning[strength]})`).join("; ")}. A verdict of breaking needs proven, fact or quoted evidence.`);
  if (review.verify) lines.push("", `> **Tests** (${inlineCode(review.verify.command)}): ${escapeMarkdown(review.verify.detail)}`);
  if (!review.llm.used) lines.push("", `> **LLM not used.** ${review.llm.note}`);
  else {
    const llm = review.llm;
    lines.push(
      "",
      `> Reviewed with ${inlineCode(llm.model ?? "")}: ${llm.calls} calls (${llm.cachedReplies} cached replies), ${llm.inputTokens} input / ${llm.outputTokens} output / ${llm.cacheReadTokens} cache-read tokens, about $${llm.estimatedCostUsd.toFixed(4)} at ${priceNote(llm.model ?? "")}. ${llm.note}`,
      ">",
      "> Claude's claims count only with a quote found verbatim in what it was sent (the release notes, the type declarations, the package manifests), and only where it says the change reaches a use site or declared fact that was sent; otherwise they are information on the row, and a disagreement with the analyzers is shown beside them.",
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

// The prices the estimate used, and where they come from.
function priceNote(model: string): string {
  const price = priceOf(model);
  return `$${price.input} / $${price.output} per million input / output tokens (${price.family} list price from Anthropic's pricing page when bumpwise was released)`;
}

/** Whether the bumps belong to more than one workspace (then every report says whose each is). */
export function severalWorkspaces(review: Review): boolean {
  return new Set(review.bumps.flatMap((bump) => bump.importers)).size > 1;
}

function tableRow(bump: BumpReview, workspaces: boolean): string {
  const mark = pinMark(bump);
  const cells = [
    `${inlineCode(bump.name)}${bump.ecosystem ? ` (${bump.ecosystem})` : ""}${bump.dev ? " (dev)" : ""}${workspaces && bump.importers.length > 0 ? ` in ${bump.importers.map(inlineCode).join(", ")}` : ""}`,
    `${escapeMarkdown(bump.from)} → ${escapeMarkdown(bump.to)} (${bump.type})`,
    `${verdictLabel[bump.verdict.verdict]}${verdictStrength(bump)}`,
    usedByCell(bump),
    `${mark ? `**${escapeMarkdown(mark)}**: ` : ""}${escapeMarkdown(truncate(bump.verdict.reason, 160))}`,
  ];
  return `| ${cells.join(" | ")} |\n`;
}

/**
 * "In this PR": exactly the bumps the branch holds (its first commit lists the same), then "Not in
 * this PR": every reviewed bump left off it, with the reason the selection gave.
 */
function branchSections(review: Review, branch: NonNullable<Review["branch"]>): string {
  const verdictOf = new Map(review.bumps.map((bump) => [bump.name, bump.verdict.verdict]));
  const fromTo = (name: string, from: string, to: string) => `${inlineCode(`${name}@${from}`)} → ${inlineCode(to)}`;
  const lines = ["## In this PR", ""];
  for (const bump of branch.applied) lines.push(`- ${fromTo(bump.name, bump.from, bump.to)} — ${verdictLabel[verdictOf.get(bump.name) ?? "unknown"]}`);
  if (branch.skipped.length > 0) {
    const byName = new Map(review.bumps.map((bump) => [bump.name, bump]));
    lines.push("", "## Not in this PR", "");
    for (const skipped of branch.skipped) {
      const bump = byName.get(skipped.name);
      lines.push(`- ${bump ? fromTo(bump.name, bump.from, bump.to) : inlineCode(skipped.name)}: ${escapeMarkdown(skipped.reason)}`);
    }
  }
  lines.push("", "## Every reviewed bump", "");
  return lines.join("\n");
}

// The strength that decided a breaking or risky verdict; safe and unknown rest on what was not found.
function verdictStrength(bump: BumpReview): string {
  const { verdict, strength } = bump.verdict;
  return (verdict === "breaking" || verdict === "risky") && strength ? ` (${strength})` : "";
}

function usedByCell(bump: BumpReview): string {
  if (bump.usedBy === undefined || bump.usedBy === null) return "?";
  const files = bump.usedBy.files.length;
  return files === 0 ? "no" : `${files} ${files === 1 ? "file" : "files"}`;
}

/** "lifts exact pin 6.1.1" or "leaves ^1.2.0": the bump goes past what package.json asks for. */
export function pinMark(bump: BumpReview): string {
  const pinned = bump.declared?.find((declaration) => declaration.exactPin && declaration.leavesRange);
  if (pinned) return `lifts exact pin ${pinned.range}`;
  const outside = bump.declared?.find((declaration) => declaration.leavesRange);
  return outside ? `leaves ${outside.range}` : "";
}

function renderDetail(bump: BumpReview, level: "compact" | "full"): string {
  const lines = [
    `<details><summary><b>${escapeHtml(bump.name)}</b> ${bump.from} → ${bump.to} (${bump.type}, ${bump.verdict.verdict}${verdictStrength(bump)})</summary>`,
    "",
    `- Versions in between: ${listVersions(bump.versionsInBetween)}`,
    `- ${bump.direct ? `Direct dependency of ${bump.importers.map(inlineCode).join(", ")}` : `Transitive dependency${pulledBy(bump.pulledBy)}`}${bump.dev ? " (dev only)" : ""}`,
  ];
  const mark = pinMark(bump);
  if (mark) lines.push(`- ${escapeMarkdown(mark)} (${bump.declared?.map((declaration) => `${inlineCode(declaration.importer)}: ${inlineCode(declaration.range)}`).join(", ")})`);
  if (bump.usedBy) lines.push(`- Used by your code: ${bump.usedBy.files.length === 0 ? "not imported" : `${bump.usedBy.files.slice(0, 5).map(inlineCode).join(", ")}${bump.usedBy.files.length > 5 ? ` and ${bump.usedBy.files.length - 5} more` : ""} (${bump.usedBy.sites} use sites)`}`);
  if (bump.publishedAt)
    lines.push(`- ${bump.to} published ${escapeMarkdown(bump.publishedAt.slice(0, 10))} (as the registry reports it)`);
  if (bump.apiDiff) lines.push(`- ${escapeMarkdown(apiSummary(bump.apiDiff))}`);
  const files = bump.apiDiff && "files" in bump.apiDiff ? bump.apiDiff.files : undefined;
  if (files) lines.push(`- Files: ${files.added.length} added, ${files.removed.length} removed${files.removed.length ? ` (${files.removed.slice(0, 5).map(inlineCode).join(", ")}${files.removed.length > 5 ? ", …" : ""})` : ""}`);
  lines.push(...signalLines(bump.signals, level));
  lines.push(...llmLines(bump));
  lines.push(...(level === "full" ? releaseNotesLines(bump) : [`- Release notes: ${bump.releaseNotes.versions.length} of ${countOf(bump.versionsInBetween.length, "version")} (text in report.json)`]));
  lines.push("", "</details>", "");
  return lines.join("\n");
}

function llmLines(bump: BumpReview): string[] {
  const llm = bump.llm;
  if (!llm) return [];
  if ("error" in llm) return [`- Claude: not reviewed (${escapeMarkdown(llm.error)})`];
  const lines = [`- Claude: **${llm.verdict}** (confidence ${llm.confidence.toFixed(2)}${llm.cached ? ", cached" : ""}): ${escapeMarkdown(llm.summary)}`];
  const affects = bump.verdict.affectsYou === null ? "unknown" : bump.verdict.affectsYou ? "yes" : "no";
  lines.push(`- Affects this project: **${affects}**${llm.affectsYouReasoning ? ` — ${escapeMarkdown(llm.affectsYouReasoning)}` : ""}`);
  if (bump.disagreement) lines.push("- Claude and the analyzers disagree (the evidence decides the verdict; you decide the bump):", `  - Claude: ${escapeMarkdown(bump.disagreement.claude)}`, `  - Analyzers: ${escapeMarkdown(bump.disagreement.analyzers)}`);
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
  const lines = [`- Release notes: ${versions.length} of ${countOf(total, "version")}${sourceCounts(bump)}`];
  if (missing.length > 0) lines.push(`- No release notes found for: ${listVersions(missing)}`);
  for (const attempt of bump.notesSources.filter((a) => a.outcome === "error" || a.outcome === "skipped")) {
    lines.push(`  - ${attempt.source} ${attempt.outcome}: ${escapeMarkdown(attempt.detail)}`);
  }
  const newestFirst = [...versions].reverse();
  for (const note of newestFirst.slice(0, notesShown)) {
    const body = note.body.length > notesChars ? `${note.body.slice(0, notesChars)}\n… (truncated; full text in report.json)` : note.body;
    lines.push("", `<details><summary>${escapeHtml(note.version)} — ${note.source}</summary>`, "", notesMarkdown(body), "", "</details>");
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

// Breaking and risky signals in full; info ones in full only when there is room, else as counts.
function signalLines(signals: Signal[], level: "compact" | "full"): string[] {
  if (signals.length === 0) return ["- No signals."];
  const serious = bySeverity(signals.filter((signal) => signal.severity !== "info"));
  const info = signals.filter((signal) => signal.severity === "info");
  const shownInfo = level === "full" ? info.slice(0, Math.max(0, 12 - serious.length)) : [];
  const lines = ["- Signals:", ...serious.slice(0, 12).map(signalLine), ...shownInfo.map(signalLine)];
  if (serious.length > 12) lines.push(`  - …and ${serious.length - 12} more breaking or risky in report.json`);
  const folded = info.length - shownInfo.length;
  if (folded > 0) {
    const byRule = new Map<string, number>();
    for (const signal of info.slice(shownInfo.length)) byRule.set(signal.rule, (byRule.get(signal.rule) ?? 0) + 1);
    lines.push(`  - ${folded} info signal(s): ${[...byRule].map(([rule, count]) => `${inlineCode(rule)} ×${count}`).join(", ")}`);
  }
  return lines;
}

function signalLine(signal: Signal): string {
  let line = `  - **${signal.severity}** (${strengthOf(signal)}) ${inlineCode(signal.rule)}: ${escapeMarkdown(signal.message)}`;
  if (signal.fact) line += ` — decided by: ${escapeMarkdown(signal.fact)}`;
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

function majorsSection(review: Review): string {
  const majors = review.majors ?? [];
  if (majors.length === 0) return "";
  const rows = majors.slice(0, 50).map((major) => `| ${inlineCode(major.name)} | ${escapeMarkdown(major.from)} | ${escapeMarkdown(major.latest)} |`);
  const more = majors.length > 50 ? `\n_${majors.length - 50} more in report.json._\n` : "";
  return ["## Also available (major, not reviewed)", "", "| Package | Locked | Newest major |", "|---|---|---|", ...rows, more].join("\n");
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

function footer(review: Review, runUrl: string | undefined): string {
  const html = runUrl ? `every bump in full, sortable and filterable: report.html in [this run's artifacts](${runUrl})` : "every bump in full, sortable and filterable: report.html beside this file";
  return `\n---\n_Generated by bumpwise ${review.tool.version} on ${review.generatedAt.slice(0, 10)}; ${html}._\n`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The pull request's section for the packages the resolver moved besides the chosen bumps. */
export function renderMovedSection(tool: string, moved: { name: string; from?: string; to?: string }[]): string {
  if (moved.length === 0) return "";
  const rows = moved.map((move) => `| ${escapeMarkdown(move.name)} | ${escapeMarkdown(move.from ?? "(added)")} | ${escapeMarkdown(move.to ?? "(removed)")} |`);
  return ["", "## Also moved by the resolver", "", `To lock the versions above, ${escapeMarkdown(tool)} also changed:`, "", "| package | from | to |", "|---|---|---|", ...rows, ""].join("\n");
}
