import type { Review } from "../review-types.js";
import type { Verdict, VerdictLevel } from "../types.js";

const mark: Record<VerdictLevel, string> = {
  breaking: "✖ breaking",
  risky: "▲ risky   ",
  unknown: "? unknown ",
  safe: "✔ safe    ",
};

/** A short summary for stderr: counts, then one line per bump that needs attention. */
export function renderTerminalSummary(review: Review, maxLines = 20): string {
  const s = review.summary;
  const lines = [
    `bumpwise: ${s.bumps} bumps in ${s.checked} packages checked — ${s.breaking} breaking, ${s.risky} risky, ${s.safe} safe, ${s.unknown} unknown` +
      (s.heldBack > 0 ? `; ${s.heldBack} held back` : "") +
      (s.errors > 0 ? `; ${s.errors} could not be checked` : ""),
  ];
  const ordered = [...review.bumps].sort((a, b) => rank(a.verdict.verdict) - rank(b.verdict.verdict));
  for (const bump of ordered.slice(0, maxLines)) {
    lines.push(
      `  ${mark[bump.verdict.verdict]}  ${bump.name} ${bump.from} → ${bump.to}  ${strengthTag(bump.verdict)}${oneLine(bump.verdict.reason)}`,
    );
  }
  if (ordered.length > maxLines) lines.push(`  … ${ordered.length - maxLines} more in the report`);
  for (const error of review.errors.slice(0, 5)) lines.push(`  ! ${error.package}: ${oneLine(error.message)}`);
  if (review.errors.length > 5) lines.push(`  ! … ${review.errors.length - 5} more errors in the report`);
  if (!review.llm.used) lines.push("  (LLM not used: deterministic analysis only)");
  else lines.push(`  (Claude ${review.llm.model}: ${review.llm.calls} calls, ${review.llm.cachedReplies} cached, ~$${review.llm.estimatedCostUsd.toFixed(4)})`);
  return `${lines.join("\n")}\n`;
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
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
  return clean.length > 100 ? `${clean.slice(0, 99)}…` : clean;
}
