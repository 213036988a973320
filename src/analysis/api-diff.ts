// What an API comparison found, in terms every ecosystem's diff reports (npm .d.ts, Python stubs and sources).

/** Where a version's declarations came from: the package itself or its DefinitelyTyped package. */
export interface DeclarationsSource {
  package: string;
  version: string;
}

/**
 * confident: the rule alone shows old callers break. review: the checker says an old use no longer
 * compiles, but whether it matters depends on how the symbol is used. info: an addition or a note.
 */
export type ApiTier = "confident" | "review" | "info";

/** How a project (or a declaration) uses a symbol; polarity follows from it. */
export type UseKind = "call" | "read" | "construct" | "implement" | "extend" | "type";

export interface ApiFinding {
  /** Stable rule identifier, e.g. "api/export-removed". */
  rule: string;
  tier: ApiTier;
  /** The public name: "Router", "default", "ns.member", "./sub#name" for a subpath's export. */
  symbol: string;
  message: string;
  /** The compiler's message, for review findings. */
  detail?: string;
  /** Other exports whose declarations refer to this one: the change reaches their users too. */
  reachedThrough?: string[];
  /** The members the finding is about (removed, now required, required and added): only code that touches one of them, or builds such objects, is reached. */
  members?: string[];
  /** What the symbol is no longer (type, value, namespace): code that cannot use a lost meaning (JavaScript and types) is not reached. */
  lostMeanings?: string[];
  /** Only code that extends the class can be broken (protected and `_`-prefixed members). */
  audience?: "subclasses";
  /** The symbol's declaration text in each version (normalised, capped): quotable evidence. */
  declarations?: { before?: string; after?: string };
}

/** Why only part of the analysis ran. */
export type ApiDegradation = "timeout" | "heap" | "too-large";

export interface ApiDiff {
  from: DeclarationsSource;
  to: DeclarationsSource;
  entries: { from: string[]; to: string[] };
  findings: ApiFinding[];
  /** Set when the review tier did not run; the confident findings still stand. */
  degraded?: { reason: ApiDegradation; message: string };
  /** Both versions publish the same declarations: nothing was compiled, and `stats` counts no exports. */
  identical?: true;
  stats: {
    exportsFrom: number;
    exportsTo: number;
    milliseconds: number;
    /** Where the thread's time went: parsing and binding both versions, reading their surfaces, the review tier's typecheck. */
    phases?: { compile: number; surfaces: number; review: number };
  };
  /** The project's own files typechecked against both versions (when it imports the package and something changed). */
  proof?: ProofResult;
  /** Files of the package's tarball added and removed between the versions (capped). */
  files?: { added: string[]; removed: string[] };
}

/** No diff was possible: neither version ships declarations, or one could not be read. */
export interface ApiUnavailable {
  unavailable: string;
  /** The version ships declarations that were not read (past the analysis cap): not a version without types. */
  unread?: true;
}

export interface ProvenDiagnostic {
  file: string;
  line: number;
  message: string;
}

/**
 * `complete`: every file that imports the package was checked, so a clean result clears the project, unless
 * `unjudged` use sites had the same type error under both versions (the compiler could not judge them).
 */
export type ProofResult = { checkedFiles: number; complete: boolean; diagnostics: ProvenDiagnostic[]; unjudged?: number } | { skipped: string };

/** A typecheck that clears the project: every importing file checked, nothing new, every use site judged. */
export function clearsProject(proof: ProofResult | undefined): boolean {
  return proof !== undefined && "complete" in proof && proof.complete && proof.diagnostics.length === 0 && !proof.unjudged;
}
