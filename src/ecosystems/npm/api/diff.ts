import { createRequire } from "node:module";
import type * as TS from "typescript";

// Required, not imported: Node's ESM loader would first scan all of typescript.js for its exports (~0.2 s).
const ts = createRequire(import.meta.url)("typescript") as typeof TS;
import { type ChangedPair, compareSource, reviewFindings } from "./compare.js";
import { exportedSubpaths } from "../contract/exports.js";
import { compareFile, compareOptions, memoryHost, packageRoot, sharedRoot, specifierFor } from "./program.js";
import { confidentFindings, counterpart, display, reached, referrers } from "./rules.js";
import { type ApiSymbol, extractSurface, polarities } from "./surface.js";
import type { ApiDiff, ApiFinding } from "../../../analysis/api-diff.js";
import type { PackageDeclarations } from "./types.js";

export interface DiffOptions {
  /** Run the review tier (assignability); off when degrading to the confident tier. */
  review: boolean;
  /** Called with the confident findings before the review tier starts, so a timeout keeps them. */
  onConfident?: (diff: ApiDiff) => void;
  /** performance.now() past which the review tier stops (throws OverBudget) at its next checkpoint. */
  deadline?: number;
  /** The same for the work before the confident findings (later than `deadline`: they are what the budget protects). */
  confidentDeadline?: number;
  /** The export names the project's code uses ("Router", "optimize.SplitChunksPlugin"): only they and what they reach are compared. */
  used?: string[];
}

/** Thrown at a checkpoint past the deadline: the thread stays usable for the next pair. */
export class OverBudget extends Error {
  constructor() {
    super("over its time budget");
  }
}

/** The API difference between two versions' declarations: both in one Program, one checker. */
export function diffDeclarations(from: PackageDeclarations, to: PackageDeclarations, options: DiffOptions): ApiDiff {
  const started = performance.now();
  let deadline = options.confidentDeadline ?? options.deadline ?? Number.POSITIVE_INFINITY;
  const checkpoint = () => {
    if (performance.now() > deadline) throw new OverBudget();
  };
  const files = new Map<string, string>();
  const fromRoot = packageRoot("from", from.name);
  const toRoot = packageRoot("to", to.name);
  for (const [file, content] of Object.entries(from.files)) files.set(`${fromRoot}/${file}`, content);
  for (const [file, content] of Object.entries(to.files)) files.set(`${toRoot}/${file}`, content);
  mountDependencies(files, from, to);
  const roots = [...from.entries.map((entry) => `${fromRoot}/${entry.file}`), ...to.entries.map((entry) => `${toRoot}/${entry.file}`)];
  const program = ts.createProgram([...new Set(roots)], compareOptions, memoryHost(files, compareOptions));
  checkpoint();
  const checker = program.getTypeChecker();
  const compiled = performance.now();
  const { before, after } = surfaces(checker, program, { from: from.entries, to: to.entries }, { from: fromRoot, to: toRoot }, checkpoint, options.used);
  const surfaced = performance.now();

  const live = new Set(to.entries.map((entry) => entry.subpath));
  const findings = [...entryFindings(from, to), ...confidentFindings(before, after, live)];
  const diff: ApiDiff = {
    from: from.source,
    to: to.source,
    entries: { from: from.entries.map((entry) => entry.subpath), to: to.entries.map((entry) => entry.subpath) },
    findings,
    stats: { exportsFrom: before.size, exportsTo: after.size, milliseconds: 0, phases: { compile: Math.round(compiled - started), surfaces: Math.round(surfaced - compiled), review: 0 } },
  };
  const types = program.getTypeCount();
  if (options.review && types > maxTypesForReview) {
    diff.degraded = { reason: "too-large", message: `reading what the code uses took ${types} types, past the review tier's work bound (${maxTypesForReview}, the same on every machine): only the confident rules ran` };
  } else if (options.review) {
    options.onConfident?.({ ...diff, stats: { ...diff.stats, milliseconds: Math.round(performance.now() - started) } });
    deadline = options.deadline ?? Number.POSITIVE_INFINITY;
    const review = reviewTier(program, before, after, findings, from, to, checkpoint);
    findings.push(...review.findings);
    if (review.leftOut > 0) {
      diff.degraded = { reason: "too-large", message: `${review.leftOut} of ${review.leftOut + maxReviewPairs} changed declarations were past the review tier's work bound (${maxReviewPairs}, the same on every machine) and not compared` };
    }
  }
  diff.stats.milliseconds = Math.round(performance.now() - started);
  if (options.review && diff.stats.phases) diff.stats.phases.review = Math.round(performance.now() - surfaced);
  attachDeclarations(findings, before, after);
  return diff;
}

/**
 * Both versions' surfaces; with `used`, only those exports and the declarations they reach in either
 * version, the same names on both sides (a declaration reached only in one version is still compared).
 */
function surfaces(checker: TS.TypeChecker, program: TS.Program, entries: { from: PackageDeclarations["entries"]; to: PackageDeclarations["entries"] }, roots: { from: string; to: string }, checkpoint: () => void, used: string[] | undefined): { before: Map<string, ApiSymbol>; after: Map<string, ApiSymbol> } {
  if (!used) return { before: extractSurface(checker, program, entries.from, roots.from, checkpoint), after: extractSurface(checker, program, entries.to, roots.to, checkpoint) };
  const names = (surface: Map<string, ApiSymbol>) => [...surface.values()].map((symbol) => symbol.name);
  let before = extractSurface(checker, program, entries.from, roots.from, checkpoint, new Set(used));
  const after = extractSurface(checker, program, entries.to, roots.to, checkpoint, new Set([...used, ...names(before)]));
  const known = new Set(names(before));
  if (names(after).some((name) => !known.has(name))) before = extractSurface(checker, program, entries.from, roots.from, checkpoint, new Set([...used, ...names(before), ...names(after)]));
  return { before, after };
}

const declarationChars = 600;

// The declarations behind a finding, both versions, so a reviewer (and Claude) can quote them.
function attachDeclarations(findings: ApiFinding[], before: Map<string, ApiSymbol>, after: Map<string, ApiSymbol>): void {
  const byName = (surface: Map<string, ApiSymbol>) => new Map([...surface.values()].map((symbol) => [display(symbol), symbol.text]));
  const [old, now] = [byName(before), byName(after)];
  for (const finding of findings) {
    if (finding.tier === "info") continue;
    // A long declaration is cut around what the finding names ("lost 1 member: fullDescription").
    const focus = /: ([\w$]+)/.exec(finding.message)?.[1];
    const cap = (text: string | undefined) => {
      if (text === undefined || text.length <= declarationChars) return text;
      const at = focus ? Math.max(0, text.indexOf(focus)) : 0;
      const start = Math.max(0, at - declarationChars / 3);
      return `${start > 0 ? "…" : ""}${text.slice(start, start + declarationChars)}…`;
    };
    const texts = { before: cap(old.get(finding.symbol)), after: cap(now.get(finding.symbol)) };
    if (texts.before !== undefined || texts.after !== undefined) finding.declarations = { ...(texts.before !== undefined ? { before: texts.before } : {}), ...(texts.after !== undefined ? { after: texts.after } : {}) };
  }
}

// Each side's dependencies sit in that side's node_modules, where the compiler's resolution finds them;
// one both sides load at the same version sits once in the node_modules above both, as npm would hoist
// it: parsed once, and its types are the same types to both versions.
function mountDependencies(files: Map<string, string>, from: PackageDeclarations, to: PackageDeclarations): void {
  const identity = (dependency: PackageDeclarations) => `${dependency.name} ${dependency.source.package}@${dependency.source.version}`;
  const shared = new Set((from.dependencies ?? []).map(identity).filter((key) => (to.dependencies ?? []).some((other) => identity(other) === key)));
  for (const [side, declarations] of [["from", from], ["to", to]] as const) {
    for (const dependency of declarations.dependencies ?? []) {
      const root = shared.has(identity(dependency)) ? sharedRoot(dependency.name) : packageRoot(side, dependency.name);
      files.set(`${root}/package.json`, JSON.stringify({ name: dependency.name, version: dependency.version, ...dependency.manifest }));
      for (const [file, content] of Object.entries(dependency.files)) files.set(`${root}/${file}`, content);
    }
  }
}

function entryFindings(from: PackageDeclarations, to: PackageDeclarations): ApiFinding[] {
  const live = new Set(to.entries.map((entry) => entry.subpath));
  const exported = new Set(to.manifest.exports === undefined ? ["."] : exportedSubpaths(to.manifest.exports).map((entry) => entry.subpath));
  return from.entries
    .filter((entry) => !live.has(entry.subpath))
    .map((entry): ApiFinding => {
      const specifier = entry.subpath === "." ? to.name : `${to.name}/${entry.subpath.slice(2)}`;
      return exported.has(entry.subpath)
        ? { rule: "api/entry-types-lost", tier: "confident", symbol: entry.subpath, message: `"${specifier}" no longer resolves to type declarations` }
        : { rule: "api/subpath-removed", tier: "confident", symbol: entry.subpath, message: `"${specifier}" is no longer exported` };
    });
}

// The review tier compares at most this many changed declarations, in the surface's own order: a bound
// on work, the same on every machine, so a slow machine never finds fewer changes than a fast one.
const maxReviewPairs = 400;

/**
 * Nor does it run for a pair whose confident rules alone made more types than this: the comparisons of
 * such a type graph are what no budget holds (zod 4.3 → 4.6: 31,806 types, and one check of ZodTuple's
 * constructor types past 1 GB of heap in 20 s). Of 71 pairs of three real apps the next largest made 4,707.
 */
export const maxTypesForReview = 20_000;

function reviewTier(program: TS.Program, before: Map<string, ApiSymbol>, after: Map<string, ApiSymbol>, confident: ApiFinding[], from: PackageDeclarations, to: PackageDeclarations, checkpoint: () => void): { findings: ApiFinding[]; leftOut: number } {
  const flagged = new Set(confident.filter((item) => item.tier === "confident").map((item) => item.symbol));
  const polarity = polarities(after);
  const pairs: ChangedPair[] = [];
  const compared = new Set<string>();
  for (const [key, old] of before) {
    const now = counterpart(key, after);
    if (!now || old.text === now.text || compared.has(old.id) || [...flagged].some((name) => name === display(old) || name.startsWith(`${display(old)}.`))) continue;
    compared.add(old.id);
    const flows = polarity.get(now.id);
    // A type no exported value reaches is only named in callers' own annotations: which way it is
    // used cannot be told, so it is not compared (precision first).
    if (!now.meanings.includes("value") && !flows) continue;
    pairs.push({ before: old, after: now, polarity: flows && !flows.has("input") ? "output" : "input" });
  }
  if (pairs.length === 0) return { findings: [], leftOut: 0 };
  const leftOut = Math.max(0, pairs.length - maxReviewPairs);
  pairs.splice(maxReviewPairs);
  const specifiers = new Map<string, { from: string; to: string }>();
  for (const entry of from.entries) {
    const next = to.entries.find((candidate) => candidate.subpath === entry.subpath);
    if (next) specifiers.set(entry.subpath, { from: specifierFor(`${packageRoot("from", from.name)}/${entry.file}`), to: specifierFor(`${packageRoot("to", to.name)}/${next.file}`) });
  }
  const source = compareSource(pairs, specifiers);
  const files = new Map<string, string>([[compareFile, source.text]]);
  for (const file of program.getSourceFiles()) if (file.fileName.startsWith("/__bumpwise__/")) files.set(file.fileName, file.text);
  // The declarations' files, parsed and bound already, are handed to the second program as they are (as a
  // language service does): only compare.ts is parsed. Asked again, the host parsed every one of them anew
  // (the new root defeats the compiler's own reuse): 0.55 s of nestjs-realworld's 10 pairs.
  const host = memoryHost(files, compareOptions);
  const parsed = new Map(program.getSourceFiles().map((file) => [file.fileName, file]));
  const parse = host.getSourceFile.bind(host);
  host.getSourceFile = (file, languageVersion, onError) => parsed.get(file) ?? parse(file, languageVersion, onError);
  const withChecks = ts.createProgram([compareFile, ...program.getRootFileNames()], compareOptions, host, program);
  checkpoint();
  const reachedTo = referrers(after);
  const review = reviewFindings(withChecks, compareFile, source.checks, checkpoint).map((item) => {
    const pair = pairs.find((candidate) => display(candidate.before) === item.symbol);
    return reached(item, pair && reachedTo.get(pair.after.id));
  });
  return { findings: groupUnderRoots(review, [...confident, ...review], after), leftOut };
}

// A change that reaches an export only through another changed export is reported at that root:
// a review finding on X is folded into the finding of any public declaration X reaches that has one.
function groupUnderRoots(review: ApiFinding[], all: ApiFinding[], surface: Map<string, ApiSymbol>): ApiFinding[] {
  const byName = new Map([...surface.values()].map((symbol) => [display(symbol), symbol]));
  const byId = new Map([...surface.values()].map((symbol) => [symbol.id, symbol]));
  const flaggedIds = new Map<string, ApiFinding>();
  for (const item of all) {
    const symbol = item.tier === "info" ? undefined : byName.get(item.symbol);
    if (symbol && !flaggedIds.has(symbol.id)) flaggedIds.set(symbol.id, item);
  }
  const folded = new Set<ApiFinding>();
  return review.filter((item) => {
    const start = byName.get(item.symbol);
    if (!start) return true;
    const reachable = new Set<string>();
    const queue = [...start.references];
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
      if (reachable.has(id) || id === start.id) continue;
      reachable.add(id);
      queue.push(...(byId.get(id)?.references ?? []));
    }
    const root = [...reachable].map((id) => flaggedIds.get(id)).find((candidate) => candidate !== undefined && candidate !== item && !folded.has(candidate));
    if (!root) return true;
    root.reachedThrough = [...new Set([...(root.reachedThrough ?? []), item.symbol])];
    folded.add(item);
    return false;
  });
}
