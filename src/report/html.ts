import { countOf } from "../words.js";
import { severalWorkspaces } from "./markdown.js";
import { createHash } from "node:crypto";
import type { Review } from "../review-types.js";
import { pageScript, pageStyle } from "./html-page.js";
import { strengthMeaning, strengthOrder } from "../analysis/evidence.js";

/**
 * report.html: one self-contained file (inline style and script, no network, works from file://)
 * that shows every bump, sortable, filterable and expandable. The review travels as JSON inside a
 * non-executable script element; the page script builds the DOM with textContent only, and a
 * Content-Security-Policy allows nothing but that one script (by hash) and the inline style.
 */
export function renderHtml(review: Review): string {
  const scriptHash = createHash("sha256").update(pageScript).digest("base64");
  const policy = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const title = `bumpwise: ${countOf(review.summary.bumps, "bump")} in ${review.project.lockfile}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text(title)}</title>
<style>${pageStyle}</style>
</head>
<body>
<h1>${text(title)}</h1>
<p class="meta">${text(`${review.project.manager}, ${review.summary.packages} packages (${review.summary.directPackages} direct); generated ${review.generatedAt} by bumpwise ${review.tool.version}; ${review.llm.note}`)}</p>
<div id="counts"></div>
${legend()}
${runNotes(review)}
<div class="controls">
<label>Verdict <select id="filter-verdict"><option value="all">all</option><option>breaking</option><option>risky</option><option>unknown</option><option>safe</option></select></label>
<label>Dependency <select id="filter-scope"><option value="all">prod and dev</option><option value="prod">prod</option><option value="dev">dev</option></select></label>
<label>Used by you <select id="filter-used"><option value="all">all</option><option value="yes">yes</option><option value="no">no</option></select></label>
<label>Package <input id="filter-text" type="search" placeholder="name contains…"></label>
<span id="shown"></span>
</div>
<table class="bumps">
<thead><tr><th data-sort="verdict">Verdict</th><th data-sort="name">Package</th>${severalWorkspaces(review) ? '<th data-sort="workspace">Workspace</th>' : ""}<th>From → To</th><th data-sort="type">Type</th><th data-sort="scope">Prod/dev</th><th data-sort="used">Used by you</th><th>Pin</th><th>Top reason</th></tr></thead>
<tbody id="bumps"></tbody>
</table>
${majorsTable(review)}${heldBackTable(review)}${errorsTable(review)}<script type="application/json" id="review-data">${jsonForScript(review)}</script>
<script>${pageScript}</script>
</body>
</html>
`;
}

const verdictMeaning = {
  breaking: "this project will fail with the bump, on proven, fact or quoted evidence",
  risky: "a change that may reach this project; read the evidence",
  unknown: "nothing found, but the evidence is incomplete (versions without notes, a 0.x step)",
  safe: "the notes of every version were read (or Claude traced every use) and nothing reaches this project",
} as const;

function legend(): string {
  const verdicts = Object.entries(verdictMeaning).map(([level, meaning]) => `<dt class="v-${level}"><span class="verdict">${level}</span></dt><dd>${text(meaning)}</dd>`).join("");
  const strengths = strengthOrder.map((strength) => `<dt><span class="strength s-${strength}">${strength}</span></dt><dd>${text(strengthMeaning[strength])}</dd>`).join("");
  return `<details class="legend" open><summary>What the verdicts and evidence strengths mean</summary>
<dl>${verdicts}</dl>
<p>Evidence, strongest first (a breaking verdict needs proven, fact or quoted evidence):</p>
<dl>${strengths}</dl>
</details>`;
}

// What the run itself says: sources that could not be read, facts not found, the tests, the branch.
function runNotes(review: Review): string {
  const notes = [
    review.notes.note,
    ...(review.project.lockfileNotes ?? []),
    ...(review.project.facts?.notes ?? []),
    review.verify ? `--verify (${review.verify.command}): ${review.verify.detail}` : undefined,
    ...(review.branch?.skipped ?? []).map((skipped) => `not on the branch ${review.branch?.name ?? ""}: ${skipped.name} (${skipped.reason})`),
  ].filter((note): note is string => Boolean(note));
  if (notes.length === 0) return "";
  return `<h2 id="run-notes">Run notes</h2>
<ul class="run-notes">
${notes.map((note) => `<li>${text(note)}</li>`).join("\n")}
</ul>
`;
}

// Packages the plan did not review, with the reason (too young, no version for the project's runtime…).
function heldBackTable(review: Review): string {
  if (review.heldBack.length === 0) return "";
  const rows = review.heldBack.map((held) => `<tr><td class="name">${text(held.name)}</td><td>${text(held.from)}</td><td>${text(held.newest)}</td><td>${text(held.reason)}</td></tr>`).join("\n");
  return `<h2 id="held-back">Held back (not reviewed)</h2>
<table class="list">
<thead><tr><th>Package</th><th>Locked</th><th>Newest</th><th>Why</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
`;
}

function errorsTable(review: Review): string {
  if (review.errors.length === 0) return "";
  const rows = review.errors.map((error) => `<tr><td class="name">${text(error.package)}</td><td>${text(error.version ?? "")}</td><td>${text(error.code)}</td><td>${text(error.message)}</td></tr>`).join("\n");
  return `<h2 id="errors">Could not be checked</h2>
<table class="list">
<thead><tr><th>Package</th><th>Version</th><th>Error</th><th>What happened</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
`;
}

// Newer majors the plan did not review, as npm outdated shows them.
function majorsTable(review: Review): string {
  const majors = review.majors ?? [];
  if (majors.length === 0) return "";
  const rows = majors.map((major) => `<tr><td>${text(major.name)}</td><td>${text(major.from)}</td><td>${text(major.latest)}</td></tr>`).join("\n");
  return `<h2 id="majors">Also available (major, not reviewed)</h2>
<table class="list majors">
<thead><tr><th>Package</th><th>Locked</th><th>Newest major</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
`;
}

// JSON inside <script>: "<" escaped, so no string from a package can close the element ("</script>").
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function text(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function attribute(value: string): string {
  return text(value).replace(/"/g, "&quot;");
}
