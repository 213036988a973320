// The browser half of report.html: plain JavaScript run from the page, under a CSP that allows only
// this script (by hash). Everything from the review is put in the DOM with textContent, never as markup.
export const pageScript = String.raw`
"use strict";
const review = JSON.parse(document.getElementById("review-data").textContent);
const order = { breaking: 0, risky: 1, unknown: 2, safe: 3 };
const state = { verdict: "all", scope: "all", used: "all", text: "", sort: "verdict", descending: false };

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Links come from registry metadata and notes: only https is ever made a link.
function safeHref(url) {
  try { return new URL(url).protocol === "https:" ? url : null; } catch { return null; }
}
function link(url, label) {
  const href = url && safeHref(url);
  return href ? el("a", { href, rel: "noopener noreferrer nofollow", target: "_blank" }, label) : null;
}

const serious = (verdict) => verdict.verdict === "breaking" || verdict.verdict === "risky";
const strengthTag = (verdict) => (serious(verdict) && verdict.strength ? el("span", { class: "strength s-" + verdict.strength, title: "evidence: " + verdict.strength }, verdict.strength) : null);
const workspaces = new Set(review.bumps.flatMap((b) => b.importers)).size > 1;
const usedFiles = (bump) => (bump.usedBy ? bump.usedBy.files.length : null);
const pin = (bump) => (bump.declared || []).map((d) => (d.exactPin ? "exact pin " + d.range : d.leavesRange ? "leaves " + d.range : "")).filter(Boolean).join(", ");
const keys = {
  verdict: (b) => order[b.verdict.verdict],
  name: (b) => b.name,
  type: (b) => b.type,
  scope: (b) => (b.dev ? 1 : 0),
  used: (b) => -(usedFiles(b) ?? -1),
  workspace: (b) => b.importers.join(", "),
};

function visible() {
  const text = state.text.trim().toLowerCase();
  const rows = review.bumps.filter((b) =>
    (state.verdict === "all" || b.verdict.verdict === state.verdict) &&
    (state.scope === "all" || (state.scope === "dev") === b.dev) &&
    (state.used === "all" || (state.used === "yes") === ((usedFiles(b) ?? 0) > 0)) &&
    (!text || b.name.toLowerCase().includes(text)));
  const key = keys[state.sort];
  rows.sort((a, b) => {
    const x = key(a), y = key(b);
    const compared = x < y ? -1 : x > y ? 1 : a.name.localeCompare(b.name);
    return state.descending ? -compared : compared;
  });
  return rows;
}

function renderTable() {
  const body = document.getElementById("bumps");
  body.replaceChildren();
  const rows = visible();
  for (const bump of rows) {
    const row = el("tr", { class: "bump v-" + bump.verdict.verdict, id: bump.name, "data-name": bump.name, tabindex: "0" },
      el("td", { "data-label": "Verdict" }, el("span", { class: "marker", "aria-hidden": "true" }), el("span", { class: "verdict" }, bump.verdict.verdict), strengthTag(bump.verdict)),
      el("td", { class: "name", "data-label": "Package" }, bump.name, bump.ecosystem ? el("span", { class: "ecosystem" }, " (" + bump.ecosystem + ")") : null, " ", el("a", { class: "anchor", href: "#" + encodeURIComponent(bump.name), title: "link to this bump" }, "#")),
      workspaces ? el("td", { "data-label": "Workspace" }, bump.importers.join(", ") || "(transitive)") : null,
      el("td", { class: "versions", "data-label": "From → To" }, bump.from + " → " + bump.to),
      el("td", { "data-label": "Type" }, bump.type),
      el("td", { "data-label": "Prod/dev" }, bump.dev ? "dev" : "prod"),
      el("td", { "data-label": "Used by you" }, usedFiles(bump) === null ? "?" : usedFiles(bump) === 0 ? "no" : usedFiles(bump) + (usedFiles(bump) === 1 ? " file" : " files")),
      el("td", { "data-label": "Pin" }, pin(bump)),
      el("td", { class: "reason", "data-label": "Top reason" }, bump.verdict.reason));
    const details = el("tr", { class: "details", hidden: "" }, el("td", { colspan: workspaces ? "9" : "8" }));
    const toggle = () => {
      if (details.hasAttribute("hidden")) {
        if (!details.firstChild.firstChild) details.firstChild.append(renderDetails(bump));
        details.removeAttribute("hidden");
        row.classList.add("open");
      } else {
        details.setAttribute("hidden", "");
        row.classList.remove("open");
      }
    };
    row.toggle = toggle;
    row.addEventListener("click", (event) => { if (!event.target.closest("a")) toggle(); });
    row.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); toggle(); } });
    body.append(row, details);
  }
  document.getElementById("shown").textContent = rows.length + " of " + review.bumps.length + " bumps shown";
  for (const header of document.querySelectorAll("th[data-sort]")) {
    const sorted = header.getAttribute("data-sort") === state.sort;
    header.setAttribute("aria-sort", sorted ? (state.descending ? "descending" : "ascending") : "none");
  }
}

function section(title, ...content) {
  const items = content.flat().filter(Boolean);
  return items.length ? el("section", {}, el("h3", {}, title), ...items) : null;
}

function touches(signal) {
  return signal.touches && signal.touches.length ? el("div", { class: "touches" }, "touches ", signal.touches.map((t) => el("code", {}, t.file + ":" + t.line))) : null;
}

function renderDetails(bump) {
  const box = el("div", { class: "detail" });
  // A section with nothing to show is null: left out (DOM append would write "null").
  const add = (node) => { if (node) box.append(node); };
  const links = bump.links || {};
  const linkRow = [link(links.registry, "registry page of " + bump.to), link(links.repository, "repository"), link(links.compare, "compare " + bump.from + "…" + bump.to)].filter(Boolean);
  if (linkRow.length) box.append(el("p", { class: "links" }, linkRow.flatMap((a, i) => (i ? [" · ", a] : [a]))));
  add(timeline(bump));
  const groups = new Map();
  for (const signal of bump.signals) groups.set(signal.analyzer, [...(groups.get(signal.analyzer) || []), signal]);
  const severity = { breaking: 0, risky: 1, info: 2 };
  const worst = (signals) => Math.min(...signals.map((s) => severity[s.severity]));
  const item = (s) => el("li", { class: "sev-" + s.severity },
    el("span", { class: "sev" }, s.severity), " ", s.strength ? el("span", { class: "strength s-" + s.strength }, s.strength) : null, " ", el("code", {}, s.rule), " ", s.message,
    s.fact ? el("div", { class: "fact" }, "decided by: " + s.fact) : null,
    touches(s),
    s.evidence ? el("blockquote", {}, s.evidence.quote, el("span", { class: "version" }, " (" + s.evidence.version + ")")) : null);
  // The group with the most severe signal first; within a group, info signals folded away.
  add(section("Signals", [...groups].sort((a, b) => worst(a[1]) - worst(b[1])).map(([analyzer, signals]) => {
    const info = signals.filter((s) => s.severity === "info");
    return el("div", { class: "group" }, el("h4", {}, analyzer),
      el("ul", {}, signals.filter((s) => s.severity !== "info").sort((a, b) => severity[a.severity] - severity[b.severity]).map(item)),
      info.length ? el("details", {}, el("summary", {}, info.length + " info"), el("ul", {}, info.map(item))) : null);
  })));
  add(contract(bump));
  if (bump.apiDiff && bump.apiDiff.unavailable) add(section("API diff", el("p", {}, "not compared: " + bump.apiDiff.unavailable)));
  else if (bump.apiDiff && bump.apiDiff.findings) {
    const findings = bump.apiDiff.findings;
    const line = (f) => el("li", { class: "sev-" + f.tier }, el("code", {}, f.rule), " ", el("code", {}, f.symbol), " ", f.message);
    add(section("API diff", el("ul", {}, findings.filter((f) => f.tier !== "info").map(line)),
      findings.some((f) => f.tier === "info") ? el("details", {}, el("summary", {}, findings.filter((f) => f.tier === "info").length + " info findings"), el("ul", {}, findings.filter((f) => f.tier === "info").map(line))) : null));
  }
  add(notes(bump));
  if (bump.llm) add(claude(bump));
  return box;
}

function timeline(bump) {
  const points = (bump.timeline || []).filter((p) => p.publishedAt);
  const withNotes = (bump.timeline || []).filter((p) => p.notes).length;
  const strip = el("div", { class: "timeline", title: "versions in between on a time axis" });
  if (points.length) {
    const times = points.map((p) => Date.parse(p.publishedAt));
    const first = Math.min(...times), last = Math.max(...times);
    for (const point of points) {
      const left = last === first ? 100 : ((Date.parse(point.publishedAt) - first) / (last - first)) * 100;
      strip.append(el("span", { class: "tick" + (point.notes ? " noted" : ""), style: "left:" + left.toFixed(2) + "%", title: point.version + " (" + point.publishedAt.slice(0, 10) + ")" + (point.notes ? ", notes" : ", no notes") }));
    }
  }
  return el("div", { class: "timeline-box" }, el("div", { class: "timeline-label" }, (bump.timeline || bump.versionsInBetween).length + ((bump.timeline || bump.versionsInBetween).length === 1 ? " version, " : " versions, ") + withNotes + " with notes"), strip);
}

// Each changed field as a line diff of its JSON: what was removed, what was added, the rest as context.
function contract(bump) {
  if (!bump.contract) return null;
  const fields = [];
  const names = new Set([...Object.keys(bump.contract.from || {}), ...Object.keys(bump.contract.to || {})]);
  for (const field of names) {
    const before = JSON.stringify(bump.contract.from[field] ?? null, null, 1).split("\n");
    const after = JSON.stringify(bump.contract.to[field] ?? null, null, 1).split("\n");
    if (field === "version" || before.join("\n") === after.join("\n")) continue;
    const kept = new Set(before.filter((line) => after.includes(line)));
    const lines = [...before.filter((line) => !kept.has(line)).map((line) => el("span", { class: "del" }, "- " + line + "\n")),
      ...after.map((line) => el("span", { class: kept.has(line) ? "same" : "add" }, (kept.has(line) ? "  " : "+ ") + line + "\n"))];
    const changed = lines.filter((line) => line.className !== "same").length;
    const diff = el("pre", { class: "diff" }, lines);
    // A long field (an exports map) folds away behind how many lines changed.
    fields.push(el("div", { class: "contract-field" }, el("h4", {}, field), lines.length > 30 ? el("details", {}, el("summary", {}, changed + " lines changed"), diff) : diff));
  }
  return fields.length ? section("Contract changes (" + bump.from + " → " + bump.to + ")", fields) : null;
}

function notes(bump) {
  const quotes = new Map();
  for (const s of bump.signals) if (s.evidence && s.severity !== "info") quotes.set(s.evidence.version, [...(quotes.get(s.evidence.version) || []), s.evidence.quote]);
  const versions = bump.releaseNotes.versions.map((note) => el("details", { class: "notes" }, el("summary", {}, note.version + " (" + note.source + ")" + ((quotes.get(note.version) || []).length ? " — flagged" : ""), note.url && safeHref(note.url) ? [" ", link(note.url, "source")] : null),
    el("pre", {}, note.body.split("\n").map((line) => {
      const hit = (quotes.get(note.version) || []).some((q) => line.trim() && (q.includes(line.trim()) || line.includes(q)));
      return el("span", { class: hit ? "hit" : "" }, line + "\n");
    }))));
  const missing = bump.releaseNotes.missing.length ? el("p", { class: "missing" }, "No notes for: " + bump.releaseNotes.missing.join(", ")) : null;
  return section("Release notes", versions, missing);
}

function claude(bump) {
  const llm = bump.llm;
  if (llm.error) return section("Claude", el("p", {}, "not reviewed: " + llm.error));
  const edits = (bump.edits || []).map((edit) => el("div", { class: "edit" }, el("div", {}, el("code", {}, edit.file), " — " + edit.reason),
    el("pre", { class: "diff" }, edit.search.split("\n").map((l) => el("span", { class: "del" }, "- " + l + "\n")), edit.replace.split("\n").map((l) => el("span", { class: "add" }, "+ " + l + "\n")))));
  return section("Claude", el("p", {}, llm.verdict + " (confidence " + llm.confidence + "): " + llm.summary),
    llm.affectsYouReasoning ? el("p", {}, "Affects you: " + llm.affectsYouReasoning) : null,
    bump.disagreement ? el("div", { class: "disagreement" }, el("p", {}, "Claude and the analyzers disagree (the evidence decides the verdict; you decide the bump):"),
      el("ul", {}, el("li", {}, "Claude: " + bump.disagreement.claude), el("li", {}, "Analyzers: " + bump.disagreement.analyzers))) : null,
    llm.dropped.length ? el("details", {}, el("summary", {}, llm.dropped.length + " claims dropped (quote not found)"), el("ul", {}, llm.dropped.map((d) => el("li", {}, d)))) : null,
    edits);
}

for (const [id, key] of [["filter-verdict", "verdict"], ["filter-scope", "scope"], ["filter-used", "used"]]) {
  document.getElementById(id).addEventListener("change", (event) => { state[key] = event.target.value; renderTable(); });
}
document.getElementById("filter-text").addEventListener("input", (event) => { state.text = event.target.value; renderTable(); });
for (const header of document.querySelectorAll("th[data-sort]")) {
  header.addEventListener("click", () => {
    const key = header.getAttribute("data-sort");
    state.descending = state.sort === key ? !state.descending : false;
    state.sort = key;
    renderTable();
  });
}
const counts = document.getElementById("counts");
for (const level of ["breaking", "risky", "unknown", "safe"]) {
  counts.append(el("span", { class: "count v-" + level }, review.summary[level] + " " + level));
}
// Printing shows every bump expanded.
window.addEventListener("beforeprint", () => {
  for (const row of document.querySelectorAll("tr.bump:not(.open)")) row.click();
});
renderTable();
// #name opens that bump (a link from the PR body or a colleague).
function openFromHash() {
  const name = decodeURIComponent(location.hash.slice(1));
  const row = name && document.getElementById(name);
  if (row && row.classList.contains("bump")) {
    if (!row.classList.contains("open")) row.toggle();
    row.scrollIntoView({ block: "start" });
  }
}
window.addEventListener("hashchange", openFromHash);
openFromHash();
document.body.setAttribute("data-ready", "true");
`;

export const pageStyle = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --breaking: #cf222e; --risky: #bc4c00; --unknown: #6e7781; --safe: #1a7f37; --hit: #fff8c5; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --breaking: #ff7b72; --risky: #ffa657; --unknown: #9198a1; --safe: #56d364; --hit: #3b2e00; } }
body { font: 14px/1.45 system-ui, sans-serif; background: var(--bg); color: var(--fg); margin: 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .3rem; } .meta, .fact, .missing, #shown { color: var(--muted); }
.controls { display: flex; flex-wrap: wrap; gap: .6rem; margin: 1rem 0; align-items: center; }
.count { margin-right: .8rem; font-weight: 600; } .v-breaking .verdict, .count.v-breaking, .sev-breaking > .sev { color: var(--breaking); }
.v-risky .verdict, .count.v-risky, .sev-risky > .sev { color: var(--risky); } .v-unknown .verdict, .count.v-unknown { color: var(--unknown); } .v-safe .verdict, .count.v-safe { color: var(--safe); }
table.bumps { border-collapse: collapse; width: 100%; } .bumps th, .bumps td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
.bumps th[data-sort] { cursor: pointer; user-select: none; } tr.bump { cursor: pointer; } tr.bump:hover, tr.bump.open { background: color-mix(in srgb, var(--fg) 6%, transparent); }
.strength { margin-left: .4rem; padding: 0 .3rem; border: 1px solid currentColor; border-radius: .2rem; font-size: .8em; font-weight: 400; }
.s-proven, .s-fact { font-weight: 700; } .s-inferred { opacity: .7; } .legend { font-size: .9em; } .disagreement { border-left: 3px solid var(--risky); padding-left: .6rem; }
.verdict { font-weight: 700; } .name { font-family: ui-monospace, monospace; } .reason { max-width: 42rem; } .versions { white-space: nowrap; }
.marker::before { content: "▸"; color: var(--muted); margin-right: .35rem; } tr.open .marker::before { content: "▾"; }
th[aria-sort=ascending]::after { content: " ▲"; color: var(--muted); } th[aria-sort=descending]::after { content: " ▼"; color: var(--muted); }
.detail section { margin: .6rem 0 1rem; } .detail h3 { font-size: 1rem; margin: .4rem 0; } .detail h4 { margin: .3rem 0; font-size: .9rem; color: var(--muted); }
blockquote { margin: .3rem 0 .3rem 1rem; padding-left: .6rem; border-left: 3px solid var(--line); white-space: pre-wrap; }
pre { white-space: pre-wrap; word-break: break-word; margin: 0; font-size: 12px; } .hit { background: var(--hit); display: block; }
.diff .del { color: var(--breaking); } .diff .add { color: var(--safe); } table.contract td, table.contract th { border: 1px solid var(--line); padding: .2rem .4rem; vertical-align: top; }
.timeline-box { display: flex; gap: .8rem; align-items: center; } .timeline { position: relative; height: 14px; flex: 1; max-width: 40rem; border-bottom: 1px solid var(--line); }
.tick { position: absolute; bottom: 0; width: 3px; height: 8px; background: var(--unknown); transform: translateX(-1px); } .tick.noted { height: 14px; background: var(--safe); }
.touches { display: flex; flex-wrap: wrap; gap: .1rem .5rem; } .detail code, .detail blockquote, .detail li, .reason { overflow-wrap: anywhere; } .diff .same { color: var(--muted); } .contract-field h4 { font-family: ui-monospace, monospace; }
.anchor { color: var(--muted); text-decoration: none; visibility: hidden; } tr.bump:hover .anchor, tr.bump:focus .anchor { visibility: visible; }
a { color: inherit; } .links a { margin-right: .2rem; } dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .8rem; margin: .4rem 0; } dd { margin: 0; }
table.list { border-collapse: collapse; margin-bottom: 1rem; } .list th, .list td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
/* Under 700 px each bump is a card: its cells stacked, each with its column's name. */
@media (max-width: 700px) {
  body { margin: .8rem; } table.bumps thead { display: none; } table.bumps, .bumps tbody, .bumps tr, .bumps td { display: block; width: auto; }
  tr.bump { border: 1px solid var(--line); border-radius: .4rem; margin: .6rem 0 0; padding: .3rem .5rem; } .bumps td { border: 0; padding: .15rem 0; }
  .bumps tr.bump td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); } .bumps tr.bump td:first-child::before { content: none; }
  tr.details td { padding: .3rem .2rem; } .reason { max-width: none; } .anchor { visibility: visible; }
  table.list, .list tbody, .list tr, .list td { display: block; } .list thead { display: none; } .list tr { border-bottom: 1px solid var(--line); padding: .3rem 0; } .list td { border: 0; padding: 0; }
}
@media print { .controls { display: none; } tr.details[hidden] { display: table-row; } body { margin: 0; } }
`;
