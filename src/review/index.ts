import path from "node:path";
import { contractSignals } from "../analysis/contract.js";
import { publishDateSignals } from "../analysis/dates.js";
import { decideVerdict } from "../analysis/verdict.js";
import { mapWithConcurrency } from "../concurrency.js";
import { errorMessage } from "../errors.js";
import { type HeldBack, isBreakingBySemver, type PlanPolicy, planBump, selectPackages } from "../plan/index.js";
import { type RegistryClient, RegistryError } from "../registry/npm.js";
import type { PackageHistory, VersionManifest } from "../registry/packument.js";
import type { Bump, Inventory, PackageError, Signal } from "../types.js";
import type { BumpReview, Review, ReviewOptions } from "./types.js";

export type { BumpReview, Review, ReviewOptions } from "./types.js";

export interface ReviewDependencies {
  registry: RegistryClient;
  concurrency: number;
  toolVersion: string;
  nodeVersion?: string;
  now?: () => Date;
  onProgress?: (event: { stage: "registry"; done: number; total: number; name: string }) => void;
}

/** Inventory → packuments → plan → contract analysis → verdicts. Per-package failures become `errors`. */
export async function reviewInventory(
  inventory: Inventory,
  projectDir: string,
  options: ReviewOptions,
  deps: ReviewDependencies,
): Promise<Review> {
  const now = deps.now?.() ?? new Date();
  const policy: PlanPolicy = { ...options, now };
  const selected = selectPackages(inventory.packages, policy);
  const names = [...new Set(selected.map((pkg) => pkg.name))];
  const bumps: BumpReview[] = [];
  const heldBack: HeldBack[] = [];
  const errors: PackageError[] = [];
  let done = 0;

  await mapWithConcurrency(names, deps.concurrency, async (name) => {
    let history: PackageHistory | undefined;
    try {
      const installed = selected.filter((candidate) => candidate.name === name).map((pkg) => pkg.version);
      history = await deps.registry.packument(name, installed);
    } catch (error) {
      const code = error instanceof RegistryError ? error.code : "unexpected";
      errors.push({ package: name, code, message: errorMessage(error) });
    }
    deps.onProgress?.({ stage: "registry", done: ++done, total: names.length, name });
    if (!history) return;
    for (const pkg of selected.filter((candidate) => candidate.name === name)) {
      const result = planBump(pkg, history, policy);
      if ("heldBack" in result) heldBack.push(result.heldBack);
      if (!("bump" in result)) continue;
      try {
        const [from, to] = await Promise.all([
          deps.registry.manifest(name, result.bump.from),
          deps.registry.manifest(name, result.bump.to),
        ]);
        bumps.push(analyseBump(result.bump, history, { from, to }, deps.nodeVersion ?? process.versions.node));
      } catch (error) {
        const code = error instanceof RegistryError ? error.code : "unexpected";
        errors.push({ package: name, version: result.bump.to, code, message: errorMessage(error) });
      }
    }
  });

  bumps.sort((a, b) => a.name.localeCompare(b.name) || a.from.localeCompare(b.from));
  heldBack.sort((a, b) => a.name.localeCompare(b.name));
  errors.sort((a, b) => a.package.localeCompare(b.package));
  const count = (level: BumpReview["verdict"]["verdict"]) =>
    bumps.filter((bump) => bump.verdict.verdict === level).length;
  return {
    schemaVersion: 1,
    tool: { name: "bumpwise", version: deps.toolVersion },
    generatedAt: now.toISOString(),
    project: {
      dir: projectDir,
      lockfile: path.relative(projectDir, inventory.lockfilePath) || inventory.lockfilePath,
      manager: inventory.manager,
      ecosystem: inventory.ecosystem,
    },
    options,
    llm: {
      used: false,
      note: "The LLM review is not part of this version: verdicts come from deterministic analysis only.",
    },
    summary: {
      packages: inventory.packages.length,
      directPackages: new Set(inventory.packages.filter((pkg) => pkg.direct).map((pkg) => pkg.name)).size,
      checked: names.length,
      bumps: bumps.length,
      breaking: count("breaking"),
      risky: count("risky"),
      safe: count("safe"),
      unknown: count("unknown"),
      heldBack: heldBack.length,
      errors: errors.length,
    },
    bumps,
    heldBack,
    errors,
    registry: { ...deps.registry.stats },
  };
}

function analyseBump(
  bump: Bump,
  history: PackageHistory,
  { from, to }: { from: VersionManifest; to: VersionManifest },
  nodeVersion: string,
): BumpReview {
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
  signals.push(...contractSignals({ name: bump.name, from, to, between, nodeVersion }));
  signals.push(...publishDateSignals(history, bump));
  const review: BumpReview = { ...bump, signals, verdict: decideVerdict(signals), edits: [] };
  const publishedAt = history.time[bump.to];
  if (publishedAt) review.publishedAt = publishedAt;
  return review;
}
