import type { BumpReview, Review } from "../../src/review-types.js";
import type { VerdictLevel } from "../../src/types.js";

/** A review of these bumps as the report renderers get it (no LLM, notes read). */
export function review(bumps: BumpReview[]): Review {
  return {
    schemaVersion: 1,
    tool: { name: "bumpwise", version: "0.1.0" },
    generatedAt: "2026-11-23T00:00:00.000Z",
    project: { dir: "/p", lockfile: "package-lock.json", manager: "npm", ecosystem: "npm" },
    options: { target: "minor", all: false, include: [], exclude: [], minAgeDays: 0, offline: false },
    llm: {
      used: false,
      note: "The LLM was not used.",
      calls: 0,
      cachedReplies: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      estimatedCostUsd: 0,
    },
    notes: { read: true, bumpsWithAllNotes: 0, versionsBySource: {} },
    summary: {
      packages: 10,
      directPackages: bumps.length,
      checked: bumps.length,
      answered: bumps.length,
      bumps: bumps.length,
      breaking: count(bumps, "breaking"),
      risky: count(bumps, "risky"),
      safe: count(bumps, "safe"),
      unknown: count(bumps, "unknown"),
      heldBack: 0,
      errors: 0,
    },
    bumps,
    heldBack: [],
    errors: [],
    registry: { downloaded: 0, revalidated: 0, fromCache: 0 },
  };
}

export function bump(name: string, message: string): BumpReview {
  return {
    name,
    from: "1.0.0",
    to: "1.1.0",
    type: "minor",
    direct: true,
    dev: false,
    importers: ["."],
    versionsInBetween: ["1.1.0"],
    releaseNotes: { versions: [{ version: "1.1.0", body: message, source: "tarball" }], missing: [] },
    notesSources: [],
    signals: [
      {
        analyzer: "contract",
        rule: "contract/deprecated",
        severity: "info",
        message,
        evidence: { quote: message, version: "1.1.0" },
      },
    ],
    verdict: { verdict: "unknown", confidence: 0, affectsYou: null, reason: message, strength: "inferred" },
    edits: [],
  };
}

const count = (bumps: BumpReview[], level: VerdictLevel) => bumps.filter((bump) => bump.verdict.verdict === level).length;
