import type { MajorAvailable, PlanTarget } from "./plan/index.js";
import type { ApiDiff, ApiUnavailable } from "./analysis/api-diff.js";
import type { ReleaseNotes, SourceAttempt } from "./changelog/types.js";
import type { HeldBack } from "./plan/index.js";
import type { LockChange } from "./plan/lock-diff.js";
import type { CompilerSettings, Declaration } from "./project/facts.js";
import type { Bump, Ecosystem, PackageError, PackageManager, Signal, SuggestedEdit, Verdict, VerdictLevel } from "./types.js";

export interface BumpReview extends Bump {
  releaseNotes: ReleaseNotes;
  /** What each release-note source did for this bump. */
  notesSources: SourceAttempt[];
  signals: Signal[];
  verdict: Verdict;
  /** Suggested code edits that passed verification (from Claude). */
  edits: SuggestedEdit[];
  /** What Claude said, when it was asked; `dropped` lists claims and edits that failed verification. */
  llm?:
    | { verdict: VerdictLevel; confidence: number; summary: string; affectsYouReasoning: string; dropped: string[]; cached: boolean }
    | { error: string };
  /**
   * Claude says the bump does not reach this project while an analyzer found a risky or breaking change:
   * both sides, one line each. The verdict follows the evidence; the reviewer decides.
   */
  disagreement?: { claude: string; analyzers: string };
  /** The published type declarations compared (direct dependencies; absent with --no-api-diff). */
  apiDiff?: ApiDiff | ApiUnavailable;
  /** Registry publish date of `to`, as the registry reports it. */
  publishedAt?: string;
  /** How the importers declare the package; `leavesRange`: the bump goes outside the declared range. */
  declared?: (Declaration & { leavesRange: boolean })[];
  /** The manifest fields that decide loading, in both versions (what the contract rules compared). */
  contract?: { from: object; to: object };
  /** The project's files that import the package; null when the project's code was not available. */
  usedBy?: { files: string[]; sites: number } | null;
  /** Every version in between with its publish date and whether it has notes (the report's time axis). */
  timeline?: { version: string; publishedAt?: string; notes: boolean }[];
  /** Set in a report of several ecosystems: which one this bump is in. */
  ecosystem?: Ecosystem;
  /** Where a reviewer reads more (https only): the registry's page of `to`, the GitHub repository, and its compare view of from…to when the tags are known. */
  links?: BumpLinks;
}

export interface BumpLinks {
  registry: string;
  repository?: string;
  compare?: string;
}

/** The package.json fields that decide how a version loads and where it runs. */

export interface ReviewOptions {
  target: PlanTarget;
  all: boolean;
  include: string[];
  exclude: string[];
  minAgeDays: number;
  offline: boolean;
  /** One workspace of a monorepo (its folder, as the lockfile names its importer): only what it declares. */
  workspace?: string;
}

/** The JSON report (schemaVersion 1) is this object; the Markdown and terminal reports render it. */
export interface Review {
  schemaVersion: 1;
  tool: { name: "bumpwise"; version: string };
  generatedAt: string;
  project: {
    dir: string;
    lockfile: string;
    manager: PackageManager;
    ecosystem: Ecosystem;
    /** What reading the lockfile left out: requirements that are ranges, not pins. */
    lockfileNotes?: string[];
    /**
     * A folder with lockfiles of several ecosystems (an npm front end beside a Python API): each was
     * reviewed, and this one report holds them all; lockfile, manager, ecosystem and facts above are the first's.
     */
    parts?: { ecosystem: Ecosystem; lockfile: string; manager: PackageManager; facts?: NonNullable<Review["project"]["facts"]> }[];
    /** The project facts every verdict was measured against. */
    facts?: {
      /** The runtime every verdict was measured against: "Node.js >=18 (engines.node)", "Python >=3.9 (requires-python in pyproject.toml)". */
      runtime: string;
      /** npm projects: the root's Node range. */
      node?: string;
      /** Python projects: the `requires-python` every target must support. */
      python?: string;
      /** npm projects: the root package.json "type". */
      type?: "module" | "commonjs";
      language: "typescript" | "javascript" | "python";
      compiler?: CompilerSettings;
      sourceFiles: number;
      /** Facts that could not be read and files that could not be parsed. */
      notes: string[];
    };
  };
  options: ReviewOptions;
  /**
   * `--base`: the bumps are the lockfile change since this git ref, not a plan. Downgrades, added and
   * removed packages are listed here (an added package has no "from" to compare).
   */
  lockChange?: {
    base: string;
    /** The lockfile did not exist at the base: every package in it is added. */
    baseLockfileMissing: boolean;
    upgraded: number;
    downgraded: LockChange[];
    added: LockChange[];
    removed: LockChange[];
  };
  llm: {
    used: boolean;
    model?: string;
    note: string;
    calls: number;
    cachedReplies: number;
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    cacheWriteTokens: number;
    estimatedCostUsd: number;
  };
  notes: {
    read: boolean;
    /** Bumps for which every version in between has notes. */
    bumpsWithAllNotes: number;
    /** How many versions' notes came from each source. */
    versionsBySource: Record<string, number>;
    note?: string;
  };
  summary: {
    packages: number;
    directPackages: number;
    /** Packages asked of the registry (or index): those locked from elsewhere are not among them. */
    checked: number;
    /** Of those, the ones the registry answered for: 0 of a non-zero `checked` means nothing could be checked. */
    answered: number;
    bumps: number;
    breaking: number;
    risky: number;
    safe: number;
    unknown: number;
    heldBack: number;
    errors: number;
  };
  bumps: BumpReview[];
  heldBack: HeldBack[];
  /** Newer majors the plan does not review (absent when there are none). */
  majors?: MajorAvailable[];
  errors: PackageError[];
  registry: { downloaded: number; revalidated: number; fromCache: number };
  /** --branch: what the upgrade branch holds, and each reviewed bump left off it with the reason. */
  branch?: UpgradeBranch;
  /** --verify: what the test runs showed (a baseline on the current lockfile first). */
  verify?: { command: string; outcome: "passed" | "failed" | "baseline-fails" | "setup-failed" | "no-tests"; runs: number; detail: string };
}

/** The upgrade branch as made: the PR body, title, draft state and labels are computed from it. */
export interface UpgradeBranch {
  name: string;
  applied: { name: string; from: string; to: string }[];
  skipped: { name: string; reason: string }[];
  /** Other packages the resolver moved, added (no `from`) or removed (no `to`) to lock the targets. */
  moved: { name: string; from?: string; to?: string }[];
  /** The tool that regenerated the lockfile. */
  tool: string;
}
