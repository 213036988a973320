import { condenseNotes, flaggedExcerpt, plainLinks } from "./condense.js";
import { createHash, randomBytes } from "node:crypto";
import type { VersionNotes } from "../../changelog/types.js";
import type { Signal } from "../../types.js";
import type { PackageUsage } from "../../usage/types.js";
import { type Prompts, render } from "./prompts.js";

export const notesBudgetChars = 40_000;
const perVersionChars = 2_000;

export interface BumpContext {
  name: string;
  /** What kind of package it is, as its ecosystem says ("an npm package"). */
  packageNoun?: string;
  from: string;
  to: string;
  type: string;
  versionsInBetween: string[];
  notes: VersionNotes[];
  missing: string[];
  signals: Signal[];
  usage: PackageUsage | undefined;
  /** What the project declares that decides this bump (Node range, module settings, prod/dev, proof). */
  project?: string[];
  /** Small files that import the package, sent whole (path → content). */
  wholeFiles?: Map<string, string>;
  /** Type-declaration changes on symbols the project uses: both versions' text, quotable as `types`. */
  typeChanges?: { symbol: string; rule: string; before?: string; after?: string }[];
  /** The type comparison ran (so no type changes means none that matter, not none looked for). */
  typesCompared?: boolean;
  /** The manifest fields that decide loading, both versions, quotable as `manifest`. */
  manifests?: { from: object; to: object };
  /** Files of the tarball added and removed, quotable as `manifest`. */
  fileChanges?: { added: string[]; removed: string[] };
}

export interface BuiltPrompt {
  text: string;
  /** Exactly the notes text sent, per version: quotes are verified against this. */
  sentNotes: Map<string, string>;
  /** The files sent as usage: the only files an edit may touch. */
  sentFiles: string[];
  /** Exactly the declaration and manifest text sent: `types` and `manifest` quotes are verified against these. */
  sentTypes: string;
  sentManifest: string;
  /** The prompt with its random boundary replaced by a fixed one: what the reply cache is keyed by. */
  stableText: string;
}

/**
 * Trimming rule for long notes: contributor lists and link markup go first (condenseNotes). When
 * everything then fits in 40,000 characters, everything is sent. Otherwise versions whose notes carry
 * a breaking or risky heuristic signal go whole first — or, when one does not fit whole, its flagged
 * lines with their context, never nothing — then the others, newest first, each cut to 2,000
 * characters, until the budget is used; every cut is marked in the text, and versions that do not fit
 * are named as left out for length.
 */
export function trimNotes(original: VersionNotes[], signals: Signal[]): { kept: VersionNotes[]; omitted: string[] } {
  const notes = original.map((note) => ({ ...note, body: condenseNotes(note.body) }));
  const total = notes.reduce((sum, note) => sum + note.body.length, 0);
  if (total <= notesBudgetChars) return { kept: notes, omitted: [] };
  const flaggedQuotes = new Map<string, string[]>();
  for (const signal of signals) {
    if (signal.analyzer !== "heuristic" || signal.severity === "info" || !signal.evidence) continue;
    flaggedQuotes.set(signal.evidence.version, [...(flaggedQuotes.get(signal.evidence.version) ?? []), plainLinks(signal.evidence.quote)]);
  }
  const flagged = (note: VersionNotes) => flaggedQuotes.has(note.version);
  const order = [...notes.filter(flagged), ...[...notes].reverse().filter((note) => !flagged(note))];
  const kept: VersionNotes[] = [];
  const omitted: string[] = [];
  let used = 0;
  for (const note of order) {
    let body = note.body;
    if (!flagged(note) && body.length > perVersionChars) body = `${body.slice(0, perVersionChars)}\n[… ${body.length - perVersionChars} more characters of these notes were not sent]`;
    if (flagged(note) && used + body.length > notesBudgetChars) body = `${flaggedExcerpt(body, flaggedQuotes.get(note.version) ?? [])}\n[… only the flagged lines of these notes were sent, for length]`;
    if (used + body.length > notesBudgetChars) {
      omitted.push(note.version);
      continue;
    }
    kept.push({ ...note, body });
    used += body.length;
  }
  const position = new Map(notes.map((note, index) => [note.version, index]));
  kept.sort((a, b) => (position.get(a.version) ?? 0) - (position.get(b.version) ?? 0));
  return { kept, omitted };
}

export function buildPrompt(prompts: Prompts, context: BumpContext): BuiltPrompt {
  // A boundary the notes' authors cannot know, so they cannot close the data block early.
  const boundary = `DATA-${randomBytes(6).toString("hex")}`;
  const { kept, omitted } = trimNotes(context.notes, context.signals);
  const sentNotes = new Map(kept.map((note) => [note.version, note.body]));
  const notes = kept.length
    ? kept.map((note) => `<<<${boundary} version=${note.version} source=${note.source}\n${note.body}\n${boundary}>>>`).join("\n")
    : "(none)";
  const usage = context.usage;
  const sentFiles = usage?.files.map((file) => file.file) ?? [];
  const usageText = usage && usage.files.length > 0 ? describeUsage(usage, boundary, context.wholeFiles) : "This project does not import the package directly.";
  // Findings quote release notes and package files: they are fenced as data like the notes.
  const signals = context.signals.length
    ? `<<<${boundary} findings\n${context.signals.map((signal) => `- [${signal.severity}] ${signal.rule}: ${signal.message}${signal.fact ? ` (decided by: ${signal.fact})` : ""}${signal.evidence ? ` — "${signal.evidence.quote}" (${signal.evidence.version})` : ""}`).join("\n")}\n${boundary}>>>`
    : "(none)";
  const missing = [...context.missing, ...omitted.map((version) => `${version} (left out for length)`)];
  const sentTypes = (context.typeChanges ?? [])
    .map((change) => [`${change.symbol} (${change.rule})`, change.before !== undefined ? `before (${context.from}): ${change.before}` : `before (${context.from}): (not exported)`, change.after !== undefined ? `after (${context.to}): ${change.after}` : `after (${context.to}): (not exported)`].join("\n"))
    .join("\n\n");
  const fileLines = context.fileChanges
    ? [`files added in ${context.to}: ${context.fileChanges.added.join(", ") || "none"}`, `files removed in ${context.to}: ${context.fileChanges.removed.join(", ") || "none"}`]
    : [];
  const sentManifest = [...(context.manifests ? [`${context.from}: ${JSON.stringify(context.manifests.from)}`, `${context.to}: ${JSON.stringify(context.manifests.to)}`] : []), ...fileLines].join("\n");
  const text = render(prompts.bump, {
    name: context.name,
    ecosystem: context.packageNoun ?? "a package",
    from: context.from,
    to: context.to,
    type: context.type,
    versions: context.versionsInBetween.join(", "),
    missing: missing.length ? missing.join(", ") : "none",
    boundary,
    notes,
    signals,
    usage: usageText,
    project: context.project?.join("\n") ?? "(not known)",
    types: sentTypes ? `<<<${boundary} types\n${sentTypes}\n${boundary}>>>` : context.typesCompared ? "(the type comparison of both versions' declarations ran and found no change to what this project uses)" : "(none)",
    manifest: sentManifest ? `<<<${boundary} manifest\n${sentManifest}\n${boundary}>>>` : "(none)",
  });
  return { text, sentNotes, sentFiles, sentTypes, sentManifest, stableText: text.split(boundary).join("DATA") };
}

function describeUsage(usage: PackageUsage, boundary: string, wholeFiles: Map<string, string> | undefined): string {
  const lines = [
    `Files importing it: ${usage.files.map((file) => file.file).join(", ")}${usage.truncated ? " (and more, left out)" : ""}`,
    `Symbols used: ${usage.symbols.join(", ") || "(default or side-effect import only)"}`,
  ];
  const sites = usage.sites.slice(0, 40).map((site) => `${site.file}:${site.line} ${site.kind} ${site.symbol}${site.member ? `.${site.member}` : ""}${site.derived ? " (on a value made from it)" : ""}`);
  if (sites.length > 0) lines.push(`Use sites:\n${sites.join("\n")}`);
  for (const [file, content] of wholeFiles ?? []) lines.push(`<<<${boundary} file=${file} (whole file)\n${content}\n${boundary}>>>`);
  for (const snippet of usage.snippets.filter((candidate) => !wholeFiles?.has(candidate.file))) lines.push(`<<<${boundary} file=${snippet.file} line=${snippet.line}\n${snippet.text}\n${boundary}>>>`);
  return lines.join("\n");
}

export function hash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 20);
}
