import { countOf } from "../words.js";
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
<p class="legend">${text(`Evidence, strongest first: ${strengthOrder.map((strength) => `${strength}: ${strengthMeaning[strength]}`).join("; ")}. A breaking verdict needs proven, fact or quoted evidence.`)}</p>
<div class="controls">
<label>Verdict <select id="filter-verdict"><option value="all">all</option><option>breaking</option><option>risky</option><option>unknown</option><option>safe</option></select></label>
<label>Dependency <select id="filter-scope"><option value="all">prod and dev</option><option value="prod">prod</option><option value="dev">dev</option></select></label>
<label>Used by you <select id="filter-used"><option value="all">all</option><option value="yes">yes</option><option value="no">no</option></select></label>
<label>Package <input id="filter-text" type="search" placeholder="name contains…"></label>
<span id="shown"></span>
</div>
<table class="bumps">
<thead><tr><th data-sort="verdict">Verdict</th><th data-sort="name">Package</th><th>From → To</th><th data-sort="type">Type</th><th data-sort="scope">Prod/dev</th><th data-sort="used">Used by you</th><th>Pin</th><th>Top reason</th></tr></thead>
<tbody id="bumps"></tbody>
</table>
${majorsTable(review)}<script type="application/json" id="review-data">${jsonForScript(review)}</script>
<script>${pageScript}</script>
</body>
</html>
`;
}

// Newer majors the plan did not review, as npm outdated shows them.
function majorsTable(review: Review): string {
  const majors = review.majors ?? [];
  if (majors.length === 0) return "";
  const rows = majors.map((major) => `<tr><td>${text(major.name)}</td><td>${text(major.from)}</td><td>${text(major.latest)}</td></tr>`).join("\n");
  return `<h2 id="majors">Also available (major, not reviewed)</h2>
<table class="majors">
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
