import { contractSignals } from "../analysis/contract.js";
import { publishDateSignals } from "../analysis/dates.js";
import { heuristicSignals } from "../analysis/heuristics.js";
import { decideVerdict } from "../analysis/verdict.js";
import type { LlmReviewer } from "../analysis/llm/reviewer.js";
import type { VerifiedReply } from "../analysis/llm/verify.js";
import type { NotesCollector } from "../changelog/index.js";
import type { ReleaseNotes } from "../changelog/types.js";
import type { PackageUsage } from "../usage/index.js";
import { isBreakingBySemver } from "../plan/index.js";
import type { RegistryClient } from "../registry/npm.js";
import type { PackageHistory } from "../registry/packument.js";
import type { Bump, Signal } from "../types.js";
import type { BumpReview } from "./types.js";

export interface BumpDependencies {
  registry: RegistryClient;
  /** Absent with --no-notes. */
  notes?: NotesCollector;
  /** Absent when the LLM is off. */
  llm?: { reviewer: LlmReviewer; usage: Map<string, PackageUsage>; projectDir: string };
  nodeVersion: string;
}

/** Everything bumpwise knows about one bump: contract, release notes, heuristics, verdict. Throws RegistryError. */
export async function reviewBump(bump: Bump, history: PackageHistory, deps: BumpDependencies): Promise<BumpReview> {
  const [from, to] = await Promise.all([deps.registry.manifest(bump.name, bump.from), deps.registry.manifest(bump.name, bump.to)]);
  const signals: Signal[] = [];
  if (isBreakingBySemver(bump)) {
    signals.push({
      analyzer: "contract",
      rule: "contract/zero-major",
      severity: "breaking",
      message: `${bump.from} → ${bump.to} is a 0.x step, which semver allows to break`,
    });
  }
  const between = bump.versionsInBetween.flatMap((version) => history.versions[version] ?? []);
  signals.push(...contractSignals({ name: bump.name, from, to, between, nodeVersion: deps.nodeVersion }));

  const collected = deps.notes ? await deps.notes.collect(bump, to) : undefined;
  const releaseNotes = collected?.notes ?? { versions: [], missing: [...bump.versionsInBetween] };
  signals.push(...heuristicSignals(releaseNotes.versions));
  signals.push(...publishDateSignals(history, bump));
  const llm = deps.llm ? await askClaude(bump, releaseNotes, signals, deps.llm) : undefined;
  if (llm && "verified" in llm) signals.push(...llm.verified.signals, ...disagreement(llm.verified, signals));

  const review: BumpReview = {
    ...bump,
    releaseNotes,
    notesSources: collected?.attempts ?? [],
    signals,
    verdict: decideVerdict(
      signals,
      { notesRead: deps.notes !== undefined, versions: bump.versionsInBetween.length, missing: releaseNotes.missing.length },
      llm && "verified" in llm ? llm.verified : undefined,
    ),
    edits: llm && "verified" in llm ? llm.verified.edits : [],
  };
  if (llm) review.llm = "verified" in llm ? summariseLlm(llm.verified, llm.cached) : { error: llm.error };
  const publishedAt = history.time[bump.to];
  if (publishedAt) review.publishedAt = publishedAt;
  return review;
}

async function askClaude(
  bump: Bump,
  notes: ReleaseNotes,
  signals: Signal[],
  llm: NonNullable<BumpDependencies["llm"]>,
): Promise<{ verified: VerifiedReply; cached: boolean } | { error: string }> {
  const outcome = await llm.reviewer.review(
    { ...bump, notes: notes.versions, missing: notes.missing, signals, usage: llm.usage.get(bump.name) },
    llm.projectDir,
  );
  return "ok" in outcome ? { verified: outcome.ok, cached: outcome.cached } : { error: outcome.failed };
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

function summariseLlm(verified: VerifiedReply, cached: boolean): NonNullable<BumpReview["llm"]> {
  return {
    verdict: verified.verdict,
    confidence: verified.confidence,
    summary: verified.summary,
    affectsYouReasoning: verified.affectsYouReasoning,
    dropped: verified.dropped,
    cached,
  };
}
