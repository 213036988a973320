import type { Review } from "../review-types.js";
import type { Verdict, VerdictLevel } from "../types.js";
import { countOf } from "../words.js";

const mark: Record<VerdictLevel, string> = {
  breaking: "✖ breaking",
  risky: "▲ risky   ",
  unknown: "? unknown ",
  safe: "✔ safe    ",
};

/** How stderr shows text: colour (a terminal, and NO_COLOR unset) and its width (a terminal's columns; none when piped). */
export interface TerminalStyle {
  color: boolean;
  columns?: number;
}

const colors: Record<VerdictLevel, string> = { breaking: "\u001b[31m", risky: "\u001b[33m", unknown: "\u001b[90m", safe: "\u001b[32m" };
const reset = "\u001b[0m";

/** The style for a stream: colour only on a terminal and only without NO_COLOR (https://no-color.org). */
export function terminalStyle(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): TerminalStyle {
  const tty = stream.isTTY === true;
  return { color: tty && !env.NO_COLOR, ...(tty && stream.columns ? { columns: stream.columns } : {}) };
}

/** A short summary for stderr: counts, then one line per bump that needs attention, the held-back packages named. */
export function renderTerminalSummary(review: Review, style: TerminalStyle = { color: false }, maxLines = 20): string {
  const s = review.summary;
  const lines = [
    `bumpwise: ${countOf(s.bumps, "bump")} in ${countOf(s.checked, "package")} checked${review.options.workspace ? ` (workspace ${review.options.workspace})` : ""} — ${s.breaking} breaking, ${s.risky} risky, ${s.safe} safe, ${s.unknown} unknown` +
      (s.heldBack > 0 ? `; ${s.heldBack} held back` : "") +
      (s.errors > 0 ? `; ${s.errors} could not be checked` : ""),
  ];
  const workspaces = new Set(review.bumps.flatMap((bump) => bump.importers)).size > 1;
  const ordered = [...review.bumps].sort((a, b) => rank(a.verdict.verdict) - rank(b.verdict.verdict));
  for (const bump of ordered.slice(0, maxLines)) {
    const where = workspaces && bump.importers.length > 0 ? ` [${bump.importers.join(", ")}]` : "";
    const head = `  ${mark[bump.verdict.verdict]}  ${bump.ecosystem ? `${bump.ecosystem}: ` : ""}${bump.name} ${bump.from} → ${bump.to}${where}  ${strengthTag(bump.verdict)}`;
    const reason = fit(oneLine(bump.verdict.reason), style.columns === undefined ? undefined : style.columns - head.length);
    lines.push(style.color ? `${colors[bump.verdict.verdict]}${head}${reset}${reason}` : `${head}${reason}`);
  }
  if (ordered.length > maxLines) lines.push(`  … ${ordered.length - maxLines} more in the report`);
  for (const error of review.errors.slice(0, 5)) lines.push(`  ! ${error.package}: ${oneLine(error.message)}`);
  if (review.errors.length > 5) lines.push(`  ! … ${review.errors.length - 5} more errors in the report`);
  for (const held of review.heldBack.slice(0, 5)) lines.push(`  held back: ${held.name} ${held.from} (newest ${held.newest}): ${oneLine(held.reason)}`);
  if (review.heldBack.length > 5) lines.push(`  held back: … ${review.heldBack.length - 5} more in the report`);
  const majors = review.majors ?? [];
  if (majors.length > 0) {
    const listed = majors.slice(0, 6).map((major) => `${major.name} ${major.from} → ${major.latest}`).join(", ");
    lines.push(`  also available (major, not reviewed; \`bumpwise explain NAME FROM TO\` reviews one): ${listed}${majors.length > 6 ? ` and ${majors.length - 6} more` : ""}`);
  }
  lines.push(...notesGaps(review));
  for (const note of review.project.lockfileNotes ?? []) lines.push(`  lockfile: ${oneLine(note)}`);
  if (!review.llm.used) lines.push("  (LLM not used: deterministic analysis only)");
  else lines.push(`  (Claude ${review.llm.model}: ${review.llm.calls} calls, ${review.llm.cachedReplies} cached, ~$${review.llm.estimatedCostUsd.toFixed(4)})`);
  return `${lines.join("\n")}\n`;
}

const githubSources = new Set(["github-release", "changelog-file"]);
const bumpsWord = (count: number) => `${count} ${count === 1 ? "bump has" : "bumps have"}`;

// Why GitHub was not read, and what to do about it, from the details the notes collector gave.
const gapCauses: { test: RegExp; say: (count: number) => string }[] = [
  { test: /--no-github/, say: (count) => `GitHub was not asked (--no-github): ${bumpsWord(count)} versions without notes; run without --no-github to read GitHub releases` },
  { test: /--offline/, say: (count) => `GitHub was not asked (--offline): ${bumpsWord(count)} versions without notes` },
  { test: /could not be reached|cannot reach GitHub/, say: (count) => `GitHub could not be reached: ${bumpsWord(count)} versions without notes; check the network or proxy (HTTPS_PROXY, NODE_EXTRA_CA_CERTS)` },
  { test: /rate limit/, say: (count) => `GitHub's rate limit was reached: ${bumpsWord(count)} versions without notes; set GITHUB_TOKEN (e.g. \`export GITHUB_TOKEN=$(gh auth token)\`) for 5,000 requests an hour` },
  { test: /no GitHub calls left/, say: (count) => `set GITHUB_TOKEN (e.g. \`export GITHUB_TOKEN=$(gh auth token)\`) to read GitHub releases: ${bumpsWord(count)} no notes without it` },
];

/** Once per cause: why bumps lack notes that GitHub could have given (the usual reason for "unknown"), and the fix. */
export function notesGaps(review: Review): string[] {
  const counts = new Map<(typeof gapCauses)[number], number>();
  for (const bump of review.bumps) {
    if (bump.releaseNotes.missing.length === 0) continue;
    const details = bump.notesSources.filter((attempt) => githubSources.has(attempt.source) && (attempt.outcome === "skipped" || attempt.outcome === "error")).map((attempt) => attempt.detail);
    const cause = gapCauses.find((candidate) => details.some((detail) => candidate.test.test(detail)));
    if (cause) counts.set(cause, (counts.get(cause) ?? 0) + 1);
  }
  return gapCauses.filter((cause) => counts.has(cause)).map((cause) => `  notes: ${cause.say(counts.get(cause) ?? 0)}`);
}

// "[fact] " before a breaking or risky reason: a reviewer sees at a glance which breaking is proven and which is a reading.
function strengthTag(verdict: Verdict): string {
  return (verdict.verdict === "breaking" || verdict.verdict === "risky") && verdict.strength ? `[${verdict.strength}] ` : "";
}

function rank(level: VerdictLevel): number {
  return ["breaking", "risky", "unknown", "safe"].indexOf(level);
}

// Terminal output is untrusted text too: strip control characters so a message cannot rewrite the screen.
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
}

// Cut to the room a terminal line has left (at least 40 characters); piped output is never cut.
function fit(text: string, room: number | undefined): string {
  if (room === undefined) return text;
  const width = Math.max(40, room);
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}
