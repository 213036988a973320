import { readFile } from "node:fs/promises";
import path from "node:path";
import { publishDateSignals } from "../analysis/dates.js";
import { heuristicSignals } from "../analysis/heuristics.js";
import type { BumpContext } from "../analysis/llm/context.js";
import type { LlmOutcome, LlmReviewer } from "../analysis/llm/reviewer.js";
import type { VerifiedReply } from "../analysis/llm/verify.js";
import { notesForProject } from "../analysis/notes-relevance.js";
import { type ProjectContext, viewFor } from "../analysis/project-view.js";
import { countedSeverity, decideVerdict, type Judging, type NotesCoverage } from "../analysis/verdict.js";
import { strengthOf, strengthRank, withStrength } from "../analysis/evidence.js";
import type { NotesCollector } from "../changelog/index.js";
import { githubRepository } from "../changelog/repository.js";
import type { ReleaseNotes } from "../changelog/types.js";
import type { EcosystemReview } from "../ecosystems/types.js";
import type { PublishedVersion } from "../registry/contract.js";
import type { PackageHistory } from "../registry/contract.js";
import type { Bump, Signal } from "../types.js";
import type { PackageUsage } from "../usage/types.js";
import type { BumpReview } from "../review-types.js";
import { bumpLinks } from "./links.js";

export interface LlmDependencies {
  reviewer: LlmReviewer;
  /** ANTHROPIC_BASE_URL when set, named in the report when Claude could not be used. */
  endpoint?: string;
  /** Send all uncached bumps through the Message Batches API at the end instead of one call each. */
  batch?: boolean;
}

export interface BumpDependencies<M extends PublishedVersion = PublishedVersion> {
  /** The ecosystem's registry, versioning, contract rules and API diff. */
  ecosystem: EcosystemReview<M>;
  /** Absent with --no-notes. */
  notes?: NotesCollector;
  /** Absent when the LLM is off. */
  llm?: LlmDependencies;
  /** The project the bump is for; absent in `explain`, where rules judge for a typical consumer. */
  project?: ProjectContext;
  /** The review's date (`--as-of`); today when absent. */
  now?: () => Date;
}

/**
 * Everything bumpwise knows about one bump: contract, release notes, heuristics, verdict, and (unless
 * batched) Claude's review. Throws RegistryError.
 */
export async function reviewBump<M extends PublishedVersion>(bump: Bump, history: PackageHistory, deps: BumpDependencies<M>): Promise<BumpReview> {
  const { ecosystem } = deps;
  const [from, to] = await Promise.all([ecosystem.registry.manifest(bump.name, bump.from), ecosystem.registry.manifest(bump.name, bump.to)]);
  const project = deps.project ? viewFor(deps.project, bump, await ecosystem.usage(deps.project, bump)) : undefined;
  const signals: Signal[] = [];
  if (ecosystem.versioning.breaksByConvention(bump.from, bump.to)) {
    // Most Python packages and many npm ones live at 0.x: the step says semver makes no promise, not that anything broke.
    signals.push({
      analyzer: "contract",
      rule: "contract/zero-major",
      severity: "info",
      strength: "inferred",
      message: `${bump.from} → ${bump.to} is a 0.x step: no compatibility promise, so only the notes, the contract and the API say what changed`,
    });
  }
  if (ecosystem.versioning.isCalendar(bump.to)) {
    signals.push({ analyzer: "contract", rule: "contract/calendar-version", severity: "info", message: `${bump.name} uses calendar versioning (${bump.to}): the version number says nothing about compatibility, so only the notes and the contract do` });
  }
  const between = bump.versionsInBetween.flatMap((version) => history.versions[version] ?? []);
  const collecting = deps.notes ? deps.notes.collect(bump, to, ecosystem.versioning) : undefined;
  const analysis = await ecosystem.analyze({ bump, from, to, between, now: deps.now?.() ?? new Date(), ...(deps.project && project ? { project: { context: deps.project, view: project } } : {}) });
  signals.push(...analysis.signals);
  const collected = await collecting;
  const releaseNotes: ReleaseNotes = collected?.notes ?? { versions: [], missing: [...bump.versionsInBetween] };
  const absent = releaseNotes.missing.length > 0 ? ecosystem.notesAbsence?.(bump.name) : undefined;
  if (absent) releaseNotes.absent = absent;
  signals.push(...notesForProject(heuristicSignals(releaseNotes.versions, { from: bump.from, to: bump.to, versioning: ecosystem.versioning }), project, { versioning: ecosystem.versioning, ...(ecosystem.runtimeNotes ? { runtime: ecosystem.runtimeNotes } : {}) }));
  signals.push(...publishDateSignals(history, bump));

  const review: BumpReview = {
    ...bump,
    releaseNotes,
    notesSources: collected?.attempts ?? [],
    signals: withStrength(signals),
    verdict: decideVerdict(signals, coverage({ ...bump, releaseNotes }, releaseNotes.missing.length, deps.notes !== undefined), undefined, analysis.affectsYou, deps.project ? "project" : "package"),
    edits: [],
    contract: analysis.contract,
    ...analysis.marks,
  };
  if (analysis.apiDiff) review.apiDiff = analysis.apiDiff;
  const noted = new Set(releaseNotes.versions.map((note) => note.version));
  review.timeline = bump.versionsInBetween.map((version) => ({ version, ...(history.time[version] ? { publishedAt: history.time[version] } : {}), notes: noted.has(version) }));
  const publishedAt = history.time[bump.to];
  if (publishedAt) review.publishedAt = publishedAt;
  review.links = bumpLinks(bump, ecosystem.describe.releasePage(bump.name, bump.to), githubRepository(to), releaseNotes.versions);
  if (deps.llm && !deps.llm.batch) {
    applyLlmOutcome(review, await deps.llm.reviewer.review(await llmContext(review, deps.project, ecosystem), deps.project?.dir ?? "."), deps.notes !== undefined, deps.project ? "project" : "package");
  }
  return review;
}

/** What Claude is shown for a reviewed bump (an @types package: the usage of the package it describes). */
export async function llmContext(review: BumpReview, project: ProjectContext | undefined, ecosystem: Pick<EcosystemReview, "describe" | "usage" | "promptFacts">): Promise<BumpContext> {
  const usage = project ? await ecosystem.usage(project, review) : undefined;
  return {
    ...review,
    packageNoun: ecosystem.describe.packageNoun,
    notes: review.releaseNotes.versions,
    missing: review.releaseNotes.missing,
    signals: review.signals,
    usage,
    typeChanges: typeChanges(review, usage),
    typesCompared: review.apiDiff !== undefined && !("unavailable" in review.apiDiff),
    ...(review.contract ? { manifests: review.contract } : {}),
    ...(review.apiDiff && "files" in review.apiDiff && review.apiDiff.files ? { fileChanges: review.apiDiff.files } : {}),
    ...(project ? { project: ecosystem.promptFacts(review, project), wholeFiles: await smallFiles(project.dir, usage?.files.map((file) => file.file) ?? []) } : {}),
  };
}

const maxTypeChanges = 8;

// The before/after declarations behind the type findings that decide: those an analyzer judged risky or
// breaking for this project (it reaches them, through whatever export), else those on symbols it
// names; all of them without usage. Each cut around the member that changed.
function typeChanges(review: BumpReview, usage: PackageUsage | undefined): NonNullable<BumpContext["typeChanges"]> {
  if (!review.apiDiff || "unavailable" in review.apiDiff) return [];
  const decisive = new Set(review.signals.filter((signal) => signal.analyzer === "api-diff" && signal.severity !== "info").flatMap((signal) => signal.symbols ?? []));
  const named = (symbol: string) => !usage || usage.uses.has(symbol.replace(/^\.[^#]*#/, "").split(".")[0] ?? "");
  return review.apiDiff.findings
    .filter((finding) => finding.tier !== "info" && finding.declarations)
    .sort((a, b) => Number(!decisive.has(a.symbol)) - Number(!decisive.has(b.symbol)))
    .filter((finding) => decisive.has(finding.symbol) || named(finding.symbol))
    .slice(0, maxTypeChanges)
    .map((finding) => ({ symbol: finding.symbol, rule: finding.rule, ...around(finding.declarations ?? {}, finding.members?.[0]) }));
}

const excerptChars = 400;

// A long declaration cut around the member that changed: the part that decides, not its first lines.
function around(declarations: { before?: string; after?: string }, member: string | undefined): { before?: string; after?: string } {
  const cut = (text: string | undefined) => {
    if (text === undefined || text.length <= excerptChars || !member) return text;
    const at = text.indexOf(member);
    if (at === -1) return text;
    const start = Math.max(0, at - excerptChars / 2);
    return `${start > 0 ? "…" : ""}${text.slice(start, start + excerptChars)}${start + excerptChars < text.length ? "…" : ""}`;
  };
  const before = cut(declarations.before);
  const after = cut(declarations.after);
  return { ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) };
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

/** Merges Claude's verified review into a bump: its signals, a disagreement if any, edits, the final verdict. */
export function applyLlmOutcome(review: BumpReview, outcome: LlmOutcome, notesRead: boolean, judging: Judging = "project"): void {
  if (!("ok" in outcome)) {
    review.llm = { error: outcome.failed };
    return;
  }
  const verified = outcome.ok;
  const deterministic = review.signals;
  review.signals = withStrength([...deterministic, ...verified.signals]);
  const disagreeing = disagreement(verified, deterministic);
  if (disagreeing) review.disagreement = disagreeing;
  review.edits = verified.edits;
  review.verdict = decideVerdict(review.signals, coverage(review, review.releaseNotes.missing.length, notesRead), verified, review.verdict.affectsYou, judging);
  review.llm = {
    verdict: verified.verdict,
    confidence: verified.confidence,
    summary: verified.summary,
    affectsYouReasoning: verified.affectsYouReasoning,
    dropped: verified.dropped,
    cached: outcome.cached,
  };
}

/**
 * Claude's "this does not reach you" against a deterministic risky or breaking signal is shown, both
 * sides, not hidden: the verdict follows the evidence scale, and the reviewer decides.
 */
export function disagreement(verified: VerifiedReply, signals: Signal[]): BumpReview["disagreement"] {
  const saysNo = verified.affectsYou === false || verified.verdict === "safe";
  const flagged = signals.filter((signal) => signal.analyzer !== "llm" && countedSeverity(signal) !== "info");
  if (!saysNo || flagged.length === 0) return undefined;
  const top = [...flagged].sort((a, b) => strengthRank(strengthOf(a)) - strengthRank(strengthOf(b)))[0]!;
  const more = flagged.length > 1 ? ` (+${flagged.length - 1} more)` : "";
  return {
    claude: `${verified.verdict}: ${verified.affectsYouReasoning || verified.summary}`,
    analyzers: `${top.severity} (${strengthOf(top)}): ${top.message}${more}`,
  };
}

function coverage(bump: Bump & { releaseNotes?: ReleaseNotes }, missing: number, notesRead: boolean): NotesCoverage {
  return { notesRead, versions: bump.versionsInBetween.length, missing, ...(bump.releaseNotes?.absent ? { absent: bump.releaseNotes.absent } : {}) };
}
