import type { Versioning } from "../versioning.js";
import type { PublishedVersion } from "../registry/contract.js";
import type { GitHubRepository } from "./repository.js";

export type NotesSourceName = "github-release" | "changelog-file" | "tarball" | "sdist" | "description";

export interface VersionNotes {
  version: string;
  body: string;
  source: NotesSourceName;
  url?: string;
}

/** The release notes of every version in (from, to], and the versions no source had notes for. */
export interface ReleaseNotes {
  /** Why the missing versions have none, when the ecosystem knows ("@types packages publish no release notes …"). */
  absent?: string;
  versions: VersionNotes[];
  missing: string[];
}

/** What one source did for one bump, for `explain` and for the report's notes on gaps. */
export interface SourceAttempt {
  source: NotesSourceName;
  outcome: "found" | "nothing" | "skipped" | "error";
  detail: string;
  versions: string[];
}

export interface NotesRequest {
  name: string;
  to: string;
  /** The versions still without notes, oldest first. */
  versions: string[];
  /** Metadata of `to`: its archive, repository, homepage. */
  manifest: PublishedVersion;
  repository: GitHubRepository | undefined;
  /** How the ecosystem reads versions in headings and tags (semver when absent). */
  versioning?: Versioning;
}

/** One place release notes come from. Each source is a file in sources/ and a line in sources/index.ts. */
export interface NotesSource {
  readonly name: NotesSourceName;
  /**
   * Its answer depends only on the target version and never changes (a published tarball): what it
   * did not have for a target is remembered for good. Other sources' misses are asked again after a day.
   */
  readonly permanent?: boolean;
  /** Raised when the source learns to find notes it missed: a permanent miss recorded by an older revision is asked again. */
  readonly revision?: number;
  /** Notes for as many of the requested versions as this source has; throws NotesSourceError. */
  fetch(request: NotesRequest): Promise<VersionNotes[]>;
}

/** A source failed for one package; the next source is tried and the report says why. */
export class NotesSourceError extends Error {
  override name = "NotesSourceError";
  constructor(
    readonly code: "rate-limited" | "unreachable" | "unavailable" | "not-found" | "invalid",
    message: string,
  ) {
    super(message);
  }
}
