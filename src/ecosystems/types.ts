import type { EcosystemDetection } from "./detection.js";
import type { JsonCache } from "../registry/cache.js";
import type { ApiDiff, ApiUnavailable } from "../analysis/api-diff.js";
import type { RuntimeNotes } from "../analysis/notes-relevance.js";
import type { ProjectContext, ProjectReading, ProjectView } from "../analysis/project-view.js";
import type { ProjectFacts } from "../project/facts.js";
import type { PublishedVersion, RegistryClient } from "../registry/contract.js";
import type { VersionSummary } from "../registry/contract.js";
import type { BumpReview } from "../review-types.js";
import type { Bump, Ecosystem, Inventory, Signal } from "../types.js";
import type { PackageUsage } from "../usage/types.js";
import type { Versioning } from "../versioning.js";

/** What an ecosystem found about one bump: its contract rules, API diff and the project marks of its row. */
export interface BumpAnalysis {
  signals: Signal[];
  /** Whether the project's code reaches what changed (API diff); null when unknown. */
  affectsYou: boolean | null;
  apiDiff?: ApiDiff | ApiUnavailable;
  /** The published fields the contract rules compared, both versions (shown to Claude, quotable). */
  contract: { from: object; to: object };
  marks: Pick<BumpReview, "declared" | "usedBy">;
}

export interface AnalysisInput<M extends PublishedVersion> {
  bump: Bump;
  from: M;
  to: M;
  /** The versions in (from, to], for yanks and deprecations along the way. */
  between: VersionSummary[];
  /** The project the bump is for; absent in `explain`, where rules judge for a typical consumer. */
  project?: { context: ProjectContext; view: ProjectView };
  /** The review's date (`--as-of`): what a resolver would pick is what was published by then. */
  now: Date;
}

/** How an ecosystem's packages and versions are named to people and to Claude: data, so no stage branches on the ecosystem. */
export interface EcosystemDescription {
  /** What a package is, in Claude's prompt: "an npm package", "a Python distribution on PyPI". */
  readonly packageNoun: string;
  /** What a version must look like, for a usage error: "version (expected x.y.z)". */
  readonly versionHint: string;
  /** How one release is written: `express@4.18.2`, `fastapi 0.65.2`. */
  release(name: string, version: string): string;
  /** The command-line flag that names its registry (--registry, --index-url). */
  readonly registryFlag: "registry" | "indexUrl";
  /** The registry's name in a sentence: "npm registry", "Python package index (PyPI)". */
  readonly registryName: string;
  /** The public registry's page of one release, for the reports' links. */
  releasePage(name: string, version: string): string;
}

/** One run's ecosystem-specific review steps, around which the review pipeline is ecosystem-free. */
export interface EcosystemReview<M extends PublishedVersion = PublishedVersion> {
  readonly ecosystem: Ecosystem;
  readonly describe: EcosystemDescription;
  readonly versioning: Versioning;
  readonly registry: RegistryClient<M>;
  /** How the project's code uses the package (its import names differ from its name in Python). */
  usage(project: ProjectContext, bump: Pick<Bump, "name" | "from">): Promise<PackageUsage>;
  analyze(input: AnalysisInput<M>): Promise<BumpAnalysis>;
  /**
   * Starts the slowest part of a bump's analysis (npm: the API diff) as soon as the bump is planned, so it
   * runs while the other packages are still being planned; `analyze` takes up the same work.
   */
  prepare?(bump: Bump, project: ProjectContext | undefined): void;
  /** The project facts that decide the bump, as Claude is told them. */
  promptFacts(review: BumpReview, project: ProjectContext): string[];
  /** Why a package has no release notes at all, when that is the ecosystem's way (generated type packages). */
  notesAbsence?(name: string): string | undefined;
  /** How a notes line about the ecosystem's runtime is judged against the project's declared runtime. */
  runtimeNotes?: RuntimeNotes;
  /** Why a version cannot run where the project does (planning holds such versions back). */
  unsupported?(facts: ProjectFacts | undefined): ((runtime: string) => string | undefined) | undefined;
}

export interface InventoryRequest {
  projectDir: string;
  /** An explicit lockfile; detected in projectDir when absent. */
  lockfilePath?: string;
  /**
   * The lockfile's text at another revision (a pull request's base, from git): parsed instead of the
   * file, and not checked against the manifests, which are the working tree's.
   */
  content?: string;
}

/** How a project is found and read: the static half of an ecosystem, before any registry is asked. */
export interface EcosystemReader extends EcosystemDetection {
  readonly describe: EcosystemDescription;
  readInventory(request: InventoryRequest): Promise<Inventory>;
  /** The project's facts, and how its code uses the packages asked about (parsed once per review when asked, the parse cached). */
  readProject(projectDir: string, inventory: Inventory, packageNames: string[], cache?: JsonCache): Promise<ProjectReading>;
}
