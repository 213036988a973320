import type { ApiAnalyzer } from "../analysis/api/index.js";
import { apiSignals } from "../analysis/api/signals.js";
import { contractSignals } from "../analysis/contract/index.js";
import { publishDateSignals } from "../analysis/dates.js";
import { heuristicSignals } from "../analysis/heuristics.js";
import type { BumpContext } from "../analysis/llm/context.js";
import type { LlmOutcome, LlmReviewer } from "../analysis/llm/reviewer.js";
import type { VerifiedReply } from "../analysis/llm/verify.js";
import { notesForProject } from "../analysis/notes-relevance.js";
import { type ProjectContext, type ProjectView, viewFor } from "../analysis/project-view.js";
import { decideVerdict } from "../analysis/verdict.js";
import type { NotesCollector } from "../changelog/index.js";
import { isBreakingBySemver } from "../plan/index.js";
import type { RegistryClient } from "../registry/contract.js";
import type { PackageHistory, VersionManifest } from "../registry/packument.js";
import type { Bump, Signal } from "../types.js";
import { importedName, type PackageUsage } from "../usage/index.js";
import type { BumpReview, ContractFields } from "./types.js";
import { readFile } from "node:fs/promises";
import path from "node:path";
import semver from "semver";
import { definitelyTypedName } from "../analysis/api/entries.js";
import { nodeSupportFor } from "../project/facts.js";

export interface LlmDependencies {
  reviewer: LlmReviewer;
  /** Send all uncached bumps through the Message Batches API at the end instead of one call each. */
  batch?: boolean;
}

export interface ApiDependencies {
  analyzer: ApiAnalyzer;
  /** Which bumps to diff (default: all). */
  wanted?: (bump: Bump) => boolean;
}

export interface BumpDependencies {
  /** Absent with --no-api-diff. */
  api?: ApiDependencies;
  registry: RegistryClient;
  /** Absent with --no-notes. */
  notes?: NotesCollector;
  /** Absent when the LLM is off. */
  llm?: LlmDependencies;
  /** The project the bump is for; absent in `explain`, where rules judge for a typical consumer. */
  project?: ProjectContext;
}

/**
 * Everything bumpwise knows about one bump: contract, release notes, heuristics, verdict, and (unless
 * batched) Claude's review. Throws RegistryError.
 */
export async function reviewBump(bump: Bump, history: PackageHistory, deps: BumpDependencies): Promise<BumpReview> {
  const [from, to] = await Promise.all([deps.registry.manifest(bump.name, bump.from), deps.registry.manifest(bump.name, bump.to)]);
  const project = deps.project ? viewFor(deps.project, bump) : undefined;
  const signals: Signal[] = [];
  if (isBreakingBySemver(bump)) {
    signals.push({
      analyzer: "contract",
      rule: "contract/zero-major",
      severity: "risky",
      message: `${bump.from} → ${bump.to} is a 0.x step, which semver allows to break`,
    });
  }
  const between = bump.versionsInBetween.flatMap((version) => history.versions[version] ?? []);
  signals.push(...contractSignals({ name: bump.name, from, to, between, ...(project ? { project } : {}) }));

  const collected = deps.notes ? await deps.notes.collect(bump, to) : undefined;
  const releaseNotes = collected?.notes ?? { versions: [], missing: [...bump.versionsInBetween] };
  signals.push(...notesForProject(heuristicSignals(releaseNotes.versions, bump), project));
  signals.push(...publishDateSignals(history, bump));
  const usage = project?.codeAvailable ? project.usage : undefined;
  const proofTarget = deps.project && usage && usage.files.length > 0
    ? { dir: deps.project.dir, files: usage.files.map((file) => file.file), truncated: usage.truncated, importedAs: importedName(bump.name) }
    : undefined;
  // The type comparison is the costly tier: only for packages the project's code imports (or with no project, as in explain).
  const compareTypes = !usage || proofTarget !== undefined;
  // Code that only require()s the package sees its CommonJS declarations: compare those (require with require).
  const resolution = usage && usage.requires.length > 0 && usage.files.every((file) => file.imports.every((site) => site.kind === "cjs")) ? "require" : "import";
  const api = deps.api && (deps.api.wanted?.(bump) ?? true) ? await deps.api.analyzer.diff(bump.name, from, to, { ...(proofTarget ? { project: proofTarget } : {}), review: compareTypes, resolution }) : undefined;
  const fromApi = api ? apiSignals(api, usage, bump.to) : undefined;
  signals.push(...(fromApi?.signals ?? []).filter((signal) => !coveredByContract(signal, signals)));

  const review: BumpReview = {
    ...bump,
    releaseNotes,
    notesSources: collected?.attempts ?? [],
    signals,
    verdict: decideVerdict(signals, coverage(bump, releaseNotes.missing.length, deps.notes !== undefined), undefined, fromApi?.affectsYou ?? null),
    edits: [],
    contract: { from: contractFields(from), to: contractFields(to) },
    ...(project ? projectMarks(bump, project) : {}),
  };
  if (api) review.apiDiff = api;
  const publishedAt = history.time[bump.to];
  if (publishedAt) review.publishedAt = publishedAt;
  if (deps.llm && !deps.llm.batch) {
    applyLlmOutcome(review, await deps.llm.reviewer.review(await llmContext(review, deps.project), deps.project?.dir ?? "."), deps.notes !== undefined);
  }
  return review;
}

/** What Claude is shown for a reviewed bump (an @types package: the usage of the package it describes). */
export async function llmContext(review: BumpReview, project: ProjectContext | undefined): Promise<BumpContext> {
  const usage = project?.usage.packages.get(importedName(review.name));
  return {
    ...review,
    notes: review.releaseNotes.versions,
    missing: review.releaseNotes.missing,
    signals: review.signals,
    usage,
    typeChanges: typeChanges(review, usage),
    ...(review.contract ? { manifests: review.contract } : {}),
    ...(review.apiDiff && "files" in review.apiDiff && review.apiDiff.files ? { fileChanges: review.apiDiff.files } : {}),
    ...(project ? { project: projectLines(review, project), wholeFiles: await smallFiles(project.dir, usage?.files.map((file) => file.file) ?? []) } : {}),
  };
}

const maxTypeChanges = 8;

// The before/after declarations of findings on symbols the project uses (all of them without usage).
function typeChanges(review: BumpReview, usage: PackageUsage | undefined): NonNullable<BumpContext["typeChanges"]> {
  if (!review.apiDiff || "unavailable" in review.apiDiff) return [];
  const used = (symbol: string) => !usage || usage.uses.has(symbol.replace(/^\.[^#]*#/, "").split(".")[0] ?? "");
  return review.apiDiff.findings
    .filter((finding) => finding.tier !== "info" && finding.declarations && used(finding.symbol))
    .slice(0, maxTypeChanges)
    .map((finding) => ({ symbol: finding.symbol, rule: finding.rule, ...finding.declarations }));
}

// The facts that decide a bump, as Claude is told them.
function projectLines(review: BumpReview, project: ProjectContext): string[] {
  const facts = project.facts;
  const node = nodeSupportFor(facts, review.importers);
  const lines = [
    `Node.js it supports: ${node.range ?? "not declared"}${node.range ? ` (${node.source})` : ""}`,
    `Module type: ${facts.moduleType.get(".") ?? "commonjs"}; language: ${facts.language}${facts.compiler ? `; tsconfig module ${facts.compiler.module ?? "default"}, moduleResolution ${facts.compiler.moduleResolution ?? "default"}` : ""}`,
    `${review.name} is a ${review.dev ? "dev-only" : "production"} dependency${review.declared?.length ? `, declared as ${review.declared.map((declaration) => `"${declaration.range}"${declaration.exactPin ? " (exact pin)" : ""} in ${declaration.importer}`).join(", ")}` : ""}`,
  ];
  const types = facts.installed.get(definitelyTypedName(importedName(review.name)));
  if (types && !review.name.startsWith("@types/")) lines.push(`Installed ${definitelyTypedName(review.name)}: ${types.join(", ")}`);
  const proof = review.apiDiff && "proof" in review.apiDiff ? review.apiDiff.proof : undefined;
  if (proof && "diagnostics" in proof) {
    lines.push(proof.diagnostics.length === 0 ? `Its ${proof.checkedFiles} importing file(s) typecheck against the new declarations.` : `Typechecking its code against the new declarations fails: ${proof.diagnostics.slice(0, 5).map((diagnostic) => `${diagnostic.file}:${diagnostic.line} ${diagnostic.message}`).join("; ")}`);
  }
  return lines;
}

const wholeFileBytes = 4 * 1024;

// A small file that imports the package is clearer whole than as snippets.
async function smallFiles(dir: string, files: string[]): Promise<Map<string, string>> {
  const whole = new Map<string, string>();
  for (const file of files.slice(0, 5)) {
    const content = await readFile(path.join(dir, file), "utf8").catch(() => undefined);
    if (content !== undefined && content.length < wholeFileBytes) whole.set(file, content);
  }
  return whole;
}

function contractFields(manifest: VersionManifest): ContractFields {
  const { version, type, exports, main, module, types, engines, peerDependencies, installScripts } = manifest;
  return JSON.parse(JSON.stringify({ version, type, exports, main, module, types, engines, peerDependencies, installScripts })) as ContractFields;
}

/** The facts shown on the bump's row: how the project declares it, and whether its code uses it. */
function projectMarks(bump: Bump, project: ProjectView): Pick<BumpReview, "declared" | "usedBy"> {
  const declared = (project.facts.declared.get(bump.name) ?? [])
    .filter((declaration) => bump.importers.includes(declaration.importer))
    .map((declaration) => ({ ...declaration, leavesRange: !rangeAllows(declaration.range, bump.to) }));
  const usedBy = project.codeAvailable ? { files: project.usage.files.map((file) => file.file), sites: project.usage.sites.length } : null;
  return { ...(declared.length > 0 ? { declared } : {}), usedBy };
}

function rangeAllows(range: string, version: string): boolean {
  return semver.validRange(range) === null || semver.satisfies(version, range, { includePrerelease: true });
}

/** Merges Claude's verified review into a bump: its signals, a disagreement if any, edits, the final verdict. */
export function applyLlmOutcome(review: BumpReview, outcome: LlmOutcome, notesRead: boolean): void {
  if (!("ok" in outcome)) {
    review.llm = { error: outcome.failed };
    return;
  }
  const verified = outcome.ok;
  const deterministic = review.signals;
  review.signals = [...deterministic, ...verified.signals, ...disagreement(verified, deterministic)];
  review.edits = verified.edits;
  review.verdict = decideVerdict(review.signals, coverage(review, review.releaseNotes.missing.length, notesRead), verified, review.verdict.affectsYou);
  review.llm = {
    verdict: verified.verdict,
    confidence: verified.confidence,
    summary: verified.summary,
    affectsYouReasoning: verified.affectsYouReasoning,
    dropped: verified.dropped,
    cached: outcome.cached,
  };
}

// A "safe" from Claude over notes the heuristics flagged is shown, not hidden.
export function disagreement(verified: VerifiedReply, signals: Signal[]): Signal[] {
  const flagged = signals.filter((signal) => signal.analyzer === "heuristic" && signal.severity !== "info");
  if (verified.verdict !== "safe" || flagged.length === 0) return [];
  return [
    {
      analyzer: "llm",
      rule: "llm/disagreement",
      severity: "info",
      message: `Claude judged this bump safe, but the release-note heuristics flagged ${flagged.length} line(s); the flagged lines decide the verdict`,
    },
  ];
}

// A subpath gone from "exports" is already a contract finding.
function coveredByContract(signal: Signal, signals: Signal[]): boolean {
  return signal.rule === "api/subpath-removed" && signals.some((other) => other.rule === "contract/exports-removed" && other.symbols?.some((symbol) => signal.symbols?.includes(symbol)));
}

function coverage(bump: Bump, missing: number, notesRead: boolean) {
  return { notesRead, versions: bump.versionsInBetween.length, missing };
}
