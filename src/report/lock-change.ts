import type { LockChange } from "../plan/lock-diff.js";
import type { Review } from "../review-types.js";
import { escapeMarkdown, inlineCode } from "./escape.js";

const maxRows = 50;

/** ", pulled in by `a`, `b`": the direct dependencies a transitive package comes with. */
export function pulledBy(names: string[] | undefined): string {
  if (!names || names.length === 0) return "";
  return `, pulled in by ${names.slice(0, 5).map(inlineCode).join(", ")}${names.length > 5 ? ` and ${names.length - 5} more` : ""}`;
}

/** What the header says the bumps are: planned from the registry, or the lockfile change since a ref. */
export function bumpsScope(review: Review): string {
  const change = review.lockChange;
  if (!change) return `available (${review.options.target} and patch, ${review.options.all ? "all packages" : "direct dependencies"})`;
  return `in the lockfile change since ${inlineCode(change.base)}${change.baseLockfileMissing ? " (the lockfile is new since then)" : ""} (direct and transitive, majors included)`;
}

/** The packages a lockfile change moves that are not reviewed as bumps: downgrades, added, removed. */
export function renderLockChangeSection(review: Review): string {
  const change = review.lockChange;
  if (!change) return "";
  const rows: string[] = [];
  const row = (entry: LockChange, what: string) =>
    `| ${inlineCode(entry.name)} | ${what} | ${escapeMarkdown(entry.from ?? "—")} | ${escapeMarkdown(entry.to ?? "—")} | ${entry.direct ? "direct" : `transitive${pulledBy(entry.pulledBy)}`}${entry.dev ? ", dev" : ""} |`;
  for (const entry of change.downgraded) rows.push(row(entry, "downgraded"));
  for (const entry of change.added) rows.push(row(entry, "added"));
  for (const entry of change.removed) rows.push(row(entry, "removed"));
  if (rows.length === 0) return "";
  const more = rows.length > maxRows ? `\n_${rows.length - maxRows} more in report.json._\n` : "";
  return [
    "## Also in the lockfile change",
    "",
    "Listed, not reviewed as bumps: an added package has no earlier version to compare with, a removed one no longer runs, and a downgrade undoes what the notes in between describe.",
    "",
    "| Package | Change | Base | Now | Dependency |",
    "|---|---|---|---|---|",
    ...rows.slice(0, maxRows),
    more,
  ].join("\n");
}
