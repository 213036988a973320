// The contract between pipeline stages (see DESIGN.md, "Core types").

export type Ecosystem = "npm" | "pypi";
export type PackageManager = "npm" | "yarn-classic" | "yarn-berry" | "pnpm" | "uv" | "poetry" | "pip" | "pipenv" | "pylock";

export interface InstalledPackage {
  name: string;
  version: string;
  /** Declared by the root project or by a workspace package. */
  direct: boolean;
  /** Reachable only through devDependencies. */
  dev: boolean;
  /** Workspace paths ("." is the root) that declare this exact version directly. */
  importers: string[];
  /** A transitive package: the direct dependencies that pull it in, when the lockfile records edges. */
  pulledBy?: string[];
  /** Not from the registry bumpwise asks (another index, git, a URL, a path): listed, never planned. */
  source?: PackageSource;
}

/** Where a locked package comes from when it is not the project's registry. */
export interface PackageSource {
  kind: "registry" | "git" | "path" | "url";
  url?: string;
}

export interface Inventory {
  ecosystem: Ecosystem;
  manager: PackageManager;
  lockfilePath: string;
  packages: InstalledPackage[];
  /** What reading the lockfile left out, for the reports ("2 requirements are ranges, not pins: not reviewed (flask, requests)"). */
  notes?: string[];
}

/** "major" only when a review takes its bumps from a lockfile change (`--base`): the bot chose it. */
export type BumpType = "patch" | "minor" | "major";

export interface Bump {
  name: string;
  from: string;
  to: string;
  type: BumpType;
  direct: boolean;
  dev: boolean;
  importers: string[];
  /** A transitive bump: the direct dependencies that pull it in (reviews of a lockfile change). */
  pulledBy?: string[];
  /** Every published version in (from, to], oldest first. */
  versionsInBetween: string[];
}

export type Severity = "breaking" | "risky" | "info";

/**
 * How strong a signal's evidence is, strongest first (DESIGN.md, "Evidence decides"): proven (the
 * compiler or the tests fail on the project's code), fact (a declared runtime, an installed peer, a
 * deep import the new version excludes), quoted (a verified quote tied to a use site or project fact),
 * inferred (type shapes the code merely reaches, 0.x steps, notes naming nothing used, a model claim
 * without a use site). `breaking` needs proven, fact or quoted.
 */
export type Strength = "proven" | "fact" | "quoted" | "inferred";

export interface Signal {
  analyzer: "heuristic" | "contract" | "api-diff" | "llm" | "tests";
  /** Stable identifier of the rule that fired, e.g. "contract/engines-narrowed". */
  rule: string;
  severity: Severity;
  message: string;
  evidence?: { quote: string; version: string; url?: string; source?: "notes" | "types" | "manifest" };
  symbols?: string[];
  /** The project fact that set the severity ("engines.node >=18 in package.json", "installed eslint@7.32.0"). */
  fact?: string;
  /** The project's use sites the change reaches. */
  touches?: { file: string; line: number }[];
  /** How strong the evidence is; set by the analyzer that knows, else read from the signal's shape (analysis/evidence.ts). */
  strength?: Strength;
  /** The other package this change makes move too (a requirement the locked version no longer meets): said on its row as well. */
  movesWith?: string;
}

export type VerdictLevel = "breaking" | "risky" | "safe" | "unknown";

export interface SuggestedEdit {
  file: string;
  search: string;
  replace: string;
  reason: string;
}

export interface Verdict {
  verdict: VerdictLevel;
  confidence: number;
  /** Whether this project uses what changed; null until usage analysis exists. */
  affectsYou: boolean | null;
  /** One sentence a person can read in a table cell. */
  reason: string;
  /** The strength of the evidence that decided the verdict. */
  strength: Strength;
}

export interface PackageError {
  package: string;
  version?: string;
  code: string;
  message: string;
}
