import { contractSignals } from "../analysis/contract.js";
import { publishDateSignals } from "../analysis/dates.js";
import { heuristicSignals } from "../analysis/heuristics.js";
import { decideVerdict } from "../analysis/verdict.js";
import type { NotesCollector } from "../changelog/index.js";
import { isBreakingBySemver } from "../plan/index.js";
import type { RegistryClient } from "../registry/npm.js";
import type { PackageHistory } from "../registry/packument.js";
import type { Bump, Signal } from "../types.js";
import type { BumpReview } from "./types.js";

export interface BumpDependencies {
  registry: RegistryClient;
  /** Absent with --no-notes. */
  notes?: NotesCollector;
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

  const review: BumpReview = {
    ...bump,
    releaseNotes,
    notesSources: collected?.attempts ?? [],
    signals,
    verdict: decideVerdict(signals, { notesRead: deps.notes !== undefined, versions: bump.versionsInBetween.length, missing: releaseNotes.missing.length }),
    edits: [],
  };
  const publishedAt = history.time[bump.to];
  if (publishedAt) review.publishedAt = publishedAt;
  return review;
}
