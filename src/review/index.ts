import path from "node:path";
import type { NotesCollector } from "../changelog/index.js";
import { mapWithConcurrency } from "../concurrency.js";
import { errorMessage } from "../errors.js";
import { type HeldBack, type MajorAvailable, newerMajor, type PlanPolicy, planBump, selectPackages } from "../plan/index.js";
import { bumpFromChange, type LockChange } from "../plan/lock-diff.js";
import type { EcosystemReview } from "../ecosystems/types.js";
import { type PublishedVersion, RegistryError } from "../registry/contract.js";
import type { PackageHistory } from "../registry/contract.js";
import type { Bump, Inventory, PackageError } from "../types.js";
import type { ProjectUsage } from "../usage/types.js";
import type { ProjectContext, ProjectReading } from "../analysis/project-view.js";
import { applyLlmOutcome, type BumpDependencies, llmContext, reviewBump } from "./bump.js";
import type { BumpReview, Review, ReviewOptions } from "../review-types.js";

export type { BumpReview, Review, ReviewOptions } from "../review-types.js";

export interface ReviewDependencies<M extends PublishedVersion = PublishedVersion> {
  /** The ecosystem's registry, versioning and rules for this run. */
  ecosystem: EcosystemReview<M>;
  /** Absent when the LLM is off; `llmOffReason` then says why. */
  llm?: BumpDependencies["llm"];
  llmOffReason?: string;
  /** Absent with --no-notes. */
  notes?: NotesCollector;
  /** Said in the report: how complete the notes can be (no GitHub token, GitHub rate limited…). */
  notesNote?: () => string | undefined;
  concurrency: number;
  toolVersion: string;
  /** The project's facts and usage; absent only for a bare lockfile review in tests. */
  project?: ProjectReading;
  now?: () => Date;
  /**
   * Review a lockfile change (`--base`) instead of planning: the bumps are the upgrades between the base
   * lockfile and the working tree's, majors included; downgrades, added and removed packages are listed.
   */
  lockChange?: { base: string; baseLockfileMissing: boolean; changes: LockChange[] };
  /** Each package answered by the registry, then each bump reviewed (notes, API diff): a long cold review is not silent. */
  onProgress?: (event: { stage: "registry" | "review"; done: number; total: number; name: string }) => void;
}

/** Inventory → packuments → plan → contract analysis → verdicts. Per-package failures become `errors`. */
export async function reviewInventory<M extends PublishedVersion>(
  inventory: Inventory,
  projectDir: string,
  options: ReviewOptions,
  deps: ReviewDependencies<M>,
): Promise<Review> {
  const now = deps.now?.() ?? new Date();
  const { ecosystem } = deps;
  const unsupported = ecosystem.unsupported?.(deps.project?.facts);
  const declared = deps.project?.facts.declared;
  // The ranges of the importers that hold this version (all of the package's when none is named).
  const declaredRanges = (pkg: { name: string; importers: string[] }) => {
    const all = declared?.get(pkg.name) ?? [];
    const own = all.filter((declaration) => pkg.importers.includes(declaration.importer));
    return (own.length > 0 ? own : all).map((declaration) => declaration.range).filter((range) => range.trim() !== "");
  };
  const policy: PlanPolicy = { ...options, now, declaredRanges, ...(unsupported ? { unsupported } : {}) };
  const bumps: BumpReview[] = [];
  const heldBack: HeldBack[] = [];
  const majors: MajorAvailable[] = [];
  const errors: PackageError[] = [];
  // A lockfile change is reviewed as it is: every changed package (direct or not) the filters keep.
  const changes = deps.lockChange?.changes.filter((change) => selectPackages([{ name: change.name, version: "", direct: true, dev: false, importers: [] }], policy).length > 0);
  const fromLock = changes && new Set(changes.filter((change) => change.kind === "upgrade").map((change) => `${change.name}@${change.to}`));
  const candidates = fromLock ? inventory.packages.filter((pkg) => fromLock.has(`${pkg.name}@${pkg.version}`)) : selectPackages(inventory.packages, policy);
  // A package locked from elsewhere than the registry (another index, git, a path, a URL) is never planned from it.
  const selected = candidates.filter((pkg) => {
    if (!pkg.source) return true;
    errors.push({ package: pkg.name, version: pkg.version, code: "not-planned", message: `not planned: ${pkg.source.kind === "registry" ? `from ${pkg.source.url ?? "another index"}` : pkg.source.kind}` });
    return false;
  });
  const names = [...new Set(selected.map((pkg) => pkg.name))];
  let done = 0;
  let answered = 0;

  // The project's code is parsed once the first registry answer is in: the requests are out by then,
  // and the parse (TypeScript's loading with it) runs while the rest are answered.
  let usage: Promise<ProjectUsage> | undefined;
  const readUsage = (reading: ProjectReading) => {
    if (!usage) {
      usage = reading.usage();
      // Its failure is the review's, raised where the usage is awaited below, not as an unhandled rejection.
      usage.catch(() => undefined);
    }
    return usage;
  };

  const workspaces = [...new Set(inventory.packages.flatMap((pkg) => pkg.importers))].filter((importer) => importer !== ".");
  // A planned bump's slowest analysis starts at once, against the project as read so far (its code, not yet
  // what else the upgrade moves, which that analysis does not need).
  const prepare = (bump: Bump) => {
    if (!ecosystem.prepare) return;
    const reading = deps.project;
    if (!reading) return ecosystem.prepare(bump, undefined);
    readUsage(reading).then(
      (usage) => ecosystem.prepare?.(bump, { dir: reading.dir, facts: reading.facts, usage, ...(workspaces.length > 0 ? { workspaces } : {}) }),
      () => undefined,
    );
  };
  const plannedBump = (entry: { bump: Bump; history: PackageHistory }) => {
    planned.push(entry);
    prepare(entry.bump);
  };

  // First every plan, so each bump is reviewed knowing what else this upgrade moves (lockstep peers).
  const planned: { bump: Bump; history: PackageHistory }[] = [];
  await mapWithConcurrency(names, deps.concurrency, async (name) => {
    let history: PackageHistory | undefined;
    try {
      const installed = selected.filter((candidate) => candidate.name === name).map((pkg) => pkg.version);
      history = await ecosystem.registry.packument(name, installed);
    } catch (error) {
      const code = error instanceof RegistryError ? error.code : "unexpected";
      errors.push({ package: name, code, message: errorMessage(error) });
    }
    if (deps.project) void readUsage(deps.project);
    deps.onProgress?.({ stage: "registry", done: ++done, total: names.length, name });
    if (!history) return;
    answered++;
    if (changes) {
      for (const change of changes.filter((candidate) => candidate.name === name)) {
        const bump = bumpFromChange(change, history, ecosystem.versioning);
        if (bump) plannedBump({ bump, history });
      }
      return;
    }
    for (const pkg of selected.filter((candidate) => candidate.name === name)) {
      const result = planBump(pkg, history, policy, ecosystem.versioning);
      const major = newerMajor(pkg, history, policy, ecosystem.versioning);
      if (major) majors.push(major);
      if ("heldBack" in result && result.heldBack) heldBack.push(result.heldBack);
      if ("bump" in result) plannedBump({ bump: result.bump, history });
    }
  });
  const targets = new Map(planned.filter(({ bump }) => bump.direct).map(({ bump }) => [bump.name, bump.to]));
  const project: ProjectContext | undefined = deps.project && { dir: deps.project.dir, facts: deps.project.facts, usage: await readUsage(deps.project), planned: targets, ...(workspaces.length > 0 ? { workspaces } : {}) };
  const bumpDeps = { ...deps, project };
  let reviewed = 0;
  await mapWithConcurrency(planned, deps.concurrency, async ({ bump, history }) => {
    try {
      bumps.push(await reviewBump(bump, history, bumpDeps));
    } catch (error) {
      const code = error instanceof RegistryError ? error.code : "unexpected";
      errors.push({ package: bump.name, version: bump.to, code, message: errorMessage(error) });
    }
    deps.onProgress?.({ stage: "review", done: ++reviewed, total: planned.length, name: bump.name });
  });

  sayWhatMovesTogether(bumps);

  if (deps.llm?.batch) {
    const llm = deps.llm;
    const outcomes = await llm.reviewer.reviewBatch(await Promise.all(bumps.map((bump) => llmContext(bump, project, ecosystem))), project?.dir ?? projectDir);
    bumps.forEach((bump, index) => {
      const outcome = outcomes[index];
      if (outcome) applyLlmOutcome(bump, outcome, deps.notes !== undefined, deps.project ? "project" : "package");
    });
  }
  bumps.sort((a, b) => a.name.localeCompare(b.name) || a.from.localeCompare(b.from));
  heldBack.sort((a, b) => a.name.localeCompare(b.name));
  majors.sort((a, b) => a.name.localeCompare(b.name) || a.from.localeCompare(b.from));
  errors.sort((a, b) => a.package.localeCompare(b.package));
  return {
    schemaVersion: 1,
    tool: { name: "bumpwise", version: deps.toolVersion },
    generatedAt: now.toISOString(),
    project: {
      dir: projectDir,
      lockfile: path.relative(projectDir, inventory.lockfilePath) || inventory.lockfilePath,
      manager: inventory.manager,
      ecosystem: inventory.ecosystem,
      ...(project ? { facts: factsSummary(project) } : {}),
      ...(inventory.notes?.length ? { lockfileNotes: inventory.notes } : {}),
    },
    options,
    ...(deps.lockChange && changes ? { lockChange: lockChangeSummary(deps.lockChange, changes) } : {}),
    llm: llmSummary(deps),
    notes: notesSummary(bumps, deps),
    summary: {
      packages: inventory.packages.length,
      directPackages: new Set(inventory.packages.filter((pkg) => pkg.direct).map((pkg) => pkg.name)).size,
      checked: names.length,
      answered,
      bumps: bumps.length,
      ...countVerdicts(bumps),
      heldBack: heldBack.length,
      errors: errors.length,
    },
    bumps,
    heldBack,
    ...(majors.length > 0 ? { majors } : {}),
    errors,
    registry: { ...ecosystem.registry.stats },
  };
}

// What the lockfile change moves that is not reviewed as a bump: said, never dropped.
function lockChangeSummary(lockChange: NonNullable<ReviewDependencies["lockChange"]>, changes: LockChange[]): NonNullable<Review["lockChange"]> {
  const listed = (kind: LockChange["kind"]) => changes.filter((change) => change.kind === kind);
  return {
    base: lockChange.base,
    baseLockfileMissing: lockChange.baseLockfileMissing,
    upgraded: listed("upgrade").length,
    downgraded: listed("downgrade"),
    added: listed("added"),
    removed: listed("removed"),
  };
}

function notesSummary<M extends PublishedVersion>(bumps: BumpReview[], deps: ReviewDependencies<M>): Review["notes"] {
  const complete = bumps.filter((bump) => bump.releaseNotes.missing.length === 0).length;
  const bySource: Record<string, number> = {};
  for (const bump of bumps) for (const note of bump.releaseNotes.versions) bySource[note.source] = (bySource[note.source] ?? 0) + 1;
  const note = deps.notesNote?.();
  return { read: deps.notes !== undefined, bumpsWithAllNotes: complete, versionsBySource: bySource, ...(note ? { note } : {}) };
}

function llmSummary<M extends PublishedVersion>(deps: ReviewDependencies<M>): Review["llm"] {
  const stats = deps.llm?.reviewer.stats;
  const counts = {
    calls: stats?.calls ?? 0,
    cachedReplies: stats?.cachedReplies ?? 0,
    inputTokens: stats?.input ?? 0,
    outputTokens: stats?.output ?? 0,
    cacheReadTokens: stats?.cacheRead ?? 0,
    cacheWriteTokens: stats?.cacheWrite ?? 0,
    estimatedCostUsd: Math.round((stats?.costUsd ?? 0) * 10_000) / 10_000,
  };
  if (!deps.llm) return { used: false, note: deps.llmOffReason ?? "The LLM was not used: verdicts come from deterministic analysis only.", ...counts };
  const note = stats?.closedBecause
    ? `Claude was not asked after a failure that would repeat for every bump (${stats.closedBecause}${deps.llm.endpoint ? `; ANTHROPIC_BASE_URL is ${deps.llm.endpoint}` : ""}): verdicts without a Claude review come from deterministic analysis only.`
    : stats?.stoppedAtMaxCost
    ? "Claude reviewed the bumps until the estimated cost reached --max-cost; the rest have deterministic verdicts only."
    : "Claude reviewed each bump; only claims whose quotes were found in the release notes count.";
  return { used: true, model: deps.llm.reviewer.model, note, ...counts };
}

/** The summary's verdict counts; recounted when a later step (--verify) changes verdicts. */
export function countVerdicts(bumps: BumpReview[]): Pick<Review["summary"], "breaking" | "risky" | "safe" | "unknown"> {
  const count = (level: BumpReview["verdict"]["verdict"]) => bumps.filter((bump) => bump.verdict.verdict === level).length;
  return { breaking: count("breaking"), risky: count("risky"), safe: count("safe"), unknown: count("unknown") };
}

/** The project facts the verdicts were measured against, and the facts that could not be read. */
function factsSummary(project: ProjectContext): NonNullable<Review["project"]["facts"]> {
  const { runtime } = project.facts;
  const skipped = project.usage.skipped.map((entry) => `${entry.file} was not scanned: ${entry.reason}`);
  const declared = runtime.range === null ? runtime.source : `${runtime.range} (${runtime.source})`;
  const python = project.facts.python;
  const type = project.facts.moduleType.get(".");
  return {
    runtime: `${runtime.name} ${declared}`,
    ...(project.facts.node.size > 0 ? { node: declared } : {}),
    ...(python ? { python: python.range === null ? "none declared (requires-python)" : `${python.range} (${python.source})` } : {}),
    ...(type ? { type } : {}),
    language: project.facts.language,
    ...(project.facts.compiler ? { compiler: project.facts.compiler } : {}),
    sourceFiles: project.usage.sourceFiles,
    notes: [...project.facts.notes, ...(project.usage.sourceFiles === 0 ? ["no source files found: rules that depend on how the code uses a package say so and stay risky"] : []), ...skipped],
  };
}

/**
 * Packages that move together: when one bump's target requires another package to move (fastapi 0.128
 * needs pydantic 2), the other's row says so too, with what this upgrade does to it. Info only: the
 * verdict stays with the row whose change forces the move.
 */
export function sayWhatMovesTogether(bumps: BumpReview[]): void {
  const byName = new Map(bumps.map((bump) => [bump.name, bump]));
  for (const bump of bumps) {
    for (const signal of bump.signals) {
      const other = signal.movesWith ? byName.get(signal.movesWith) : undefined;
      if (!other || other === bump) continue;
      other.signals.push({ analyzer: "contract", rule: "contract/moves-with", severity: "info", strength: "inferred", message: `moves with ${bump.name} ${bump.from} → ${bump.to}, whose requirement changed: ${signal.message}`, ...(signal.evidence ? { evidence: signal.evidence } : {}) });
    }
  }
}
