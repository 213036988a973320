import { countOf } from "../words.js";
import type { JsonCache } from "../registry/cache.js";
import type { Versioning } from "../versioning.js";
import type { PublishedVersion } from "../registry/contract.js";
import { githubRepository } from "./repository.js";
import { type NotesSource, NotesSourceError, type ReleaseNotes, type SourceAttempt, type VersionNotes } from "./types.js";

export type { NotesSource, ReleaseNotes, SourceAttempt, VersionNotes } from "./types.js";

/**
 * How much of GitHub this run may use. Without a token GitHub allows 60 requests an hour, so bumpwise
 * asks it only for versions the tarball did not cover, and stops at `calls`. A rate limit closes it
 * for the rest of the run.
 */
export interface GitHubAllowance {
  calls: number;
  closedBecause?: string;
}

export interface NotesCollector {
  /** `versioning` reads the version headings (PEP 440 for Python: `v2.7.4` is 2.7.4, `2.0` is 2.0). */
  collect(bump: { name: string; to: string; versionsInBetween: string[] }, manifest: PublishedVersion, versioning?: Versioning): Promise<{ notes: ReleaseNotes; attempts: SourceAttempt[] }>;
}

const githubCost: Record<string, number> = { "github-release": 1, "changelog-file": 2 };

// Versions a GitHub source was asked about and did not have are not asked again for a day: a scheduled
// re-run with nothing new spends no GitHub calls on them. A permanent source's misses are kept for good.
const knownMissingMs = 24 * 60 * 60 * 1000;

/**
 * What is known of one package's notes, in one cache entry (a bump's notes are one read): the notes
 * found per version, and per source (a permanent one per target version) the versions it did not have.
 */
interface PackageNotes {
  notes: Map<string, VersionNotes>;
  /** Source (or permanent source@target) → version → when it was found missing. */
  missing: Map<string, Map<string, number>>;
}

// Stored as entry lists: JSON has no Map, and a version string is not an object key.
type StoredPackageNotes = { notes: [string, VersionNotes][]; missing: [string, [string, number][]][] };
const stored = (known: PackageNotes): StoredPackageNotes => ({ notes: [...known.notes], missing: [...known.missing].map(([source, versions]) => [source, [...versions]]) });
const loaded = (entry: StoredPackageNotes | undefined): PackageNotes => ({
  notes: new Map(entry?.notes ?? []),
  missing: new Map((entry?.missing ?? []).map(([source, versions]) => [source, new Map(versions)])),
});

/**
 * Tries each source in order for the versions still without notes; remembers what each found and did not find.
 * `scope`: the registry or index the packages come from; notes are cached per scope (another registry's "1.2.3" is another release).
 */
export function createNotesCollector(deps: { sources: NotesSource[]; cache: JsonCache; github: GitHubAllowance; scope?: string; now?: () => number }): NotesCollector {
  const scope = deps.scope ?? "";
  const now = deps.now ?? Date.now;
  return {
    async collect(bump, manifest, versioning) {
      const key = `notes-package:v3:${scope}:${bump.name}`;
      const known = loaded(await deps.cache.get<StoredPackageNotes>(key));
      let changed = false;
      const found = new Map<string, VersionNotes>();
      for (const version of bump.versionsInBetween) {
        const cached = known.notes.get(version);
        if (cached) found.set(version, cached);
      }
      const missingFrom = (source: NotesSource) => (source.permanent ? `${source.name}${source.revision ? `#${source.revision}` : ""}@${bump.to}` : source.name);
      const knownMissing = (source: NotesSource, version: string) => {
        const checkedAt = known.missing.get(missingFrom(source))?.get(version);
        return checkedAt !== undefined && (source.permanent || now() - checkedAt < knownMissingMs);
      };
      const repository = githubRepository(manifest);
      const attempts: SourceAttempt[] = [];
      for (const source of deps.sources) {
        const versions = bump.versionsInBetween.filter((version) => !found.has(version) && !knownMissing(source, version));
        if (versions.length === 0) continue;
        const cost = githubCost[source.name];
        if (cost !== undefined) {
          // A closed GitHub is said for this package's own repository, not with another package's error.
          const closed = deps.github.closedBecause && repository ? `${deps.github.closedBecause}; ${repository.owner}/${repository.repo} not asked` : undefined;
          const skip = !repository ? "no GitHub repository in the package's metadata" : closed ?? (deps.github.calls < cost ? "no GitHub calls left for this run (set GITHUB_TOKEN)" : undefined);
          if (skip) {
            attempts.push({ source: source.name, outcome: "skipped", detail: skip, versions: [] });
            continue;
          }
          deps.github.calls -= cost;
        }
        try {
          const notes = await source.fetch({ name: bump.name, to: bump.to, versions, manifest, repository, ...(versioning ? { versioning } : {}) });
          const fresh = notes.filter((note) => versions.includes(note.version) && !found.has(note.version));
          for (const note of fresh) {
            found.set(note.version, note);
            known.notes.set(note.version, note);
          }
          // The source answered: what it did not have is remembered.
          const misses = known.missing.get(missingFrom(source)) ?? new Map<string, number>();
          for (const version of versions.filter((candidate) => !found.has(candidate))) misses.set(version, now());
          known.missing.set(missingFrom(source), misses);
          changed = true;
          attempts.push({
            source: source.name,
            outcome: fresh.length > 0 ? "found" : "nothing",
            detail: fresh.length > 0 ? `notes for ${fresh.length} of ${countOf(versions.length, "version")}` : "no notes for these versions",
            versions: fresh.map((note) => note.version),
          });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          // A rate limit or an unreachable GitHub will not change within this run: stop asking it. The
          // reason is kept generic: this error's message names this package's repository.
          if (error instanceof NotesSourceError && (error.code === "rate-limited" || error.code === "unreachable")) {
            deps.github.closedBecause ??= error.code === "rate-limited" ? "GitHub's rate limit was reached earlier in this run" : "GitHub could not be reached earlier in this run";
          }
          attempts.push({ source: source.name, outcome: "error", detail: message, versions: [] });
        }
      }
      if (changed) deps.cache.put(key, stored(known));
      const versions = bump.versionsInBetween.flatMap((version) => found.get(version) ?? []);
      const missing = bump.versionsInBetween.filter((version) => !found.has(version));
      return { notes: { versions, missing }, attempts };
    },
  };
}
