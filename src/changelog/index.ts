import type { JsonCache } from "../registry/cache.js";
import type { Versioning } from "../ecosystems/versioning.js";
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

/** Tries each source in order for the versions still without notes; caches what it finds per package@version. */
// Versions that every source was asked about and none had notes for are not asked again for a day:
// a scheduled re-run with nothing new spends no GitHub calls on them.
const knownMissingMs = 24 * 60 * 60 * 1000;

/** `scope`: the registry or index the packages come from; notes are cached per scope (another registry's "1.2.3" is another release). */
export function createNotesCollector(deps: { sources: NotesSource[]; cache: JsonCache; github: GitHubAllowance; scope?: string; now?: () => number }): NotesCollector {
  const scope = deps.scope ?? "";
  const now = deps.now ?? Date.now;
  return {
    async collect(bump, manifest, versioning) {
      const found = new Map<string, VersionNotes>();
      const knownMissing = new Set<string>();
      for (const version of bump.versionsInBetween) {
        const cached = await deps.cache.get<VersionNotes>(notesKey(scope, bump.name, version));
        if (cached) found.set(version, cached);
        const missingSince = await deps.cache.get<{ checkedAt: number }>(missingKey(scope, bump.name, version));
        if (!cached && missingSince && now() - missingSince.checkedAt < knownMissingMs) knownMissing.add(version);
      }
      const repository = githubRepository(manifest);
      const attempts: SourceAttempt[] = [];
      for (const source of deps.sources) {
        const versions = bump.versionsInBetween.filter((version) => !found.has(version) && !knownMissing.has(version));
        if (versions.length === 0) break;
        const cost = githubCost[source.name];
        if (cost !== undefined) {
          const skip = !repository ? "no GitHub repository in the package's metadata" : deps.github.closedBecause ?? (deps.github.calls < cost ? "no GitHub calls left for this run (set GITHUB_TOKEN)" : undefined);
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
            deps.cache.put(notesKey(scope, bump.name, note.version), note);
          }
          attempts.push({
            source: source.name,
            outcome: fresh.length > 0 ? "found" : "nothing",
            detail: fresh.length > 0 ? `notes for ${fresh.length} of ${versions.length} versions` : "no notes for these versions",
            versions: fresh.map((note) => note.version),
          });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          // A rate limit or an unreachable GitHub will not change within this run: stop asking it.
          if (error instanceof NotesSourceError && (error.code === "rate-limited" || error.code === "unreachable")) {
            deps.github.closedBecause = message;
          }
          attempts.push({ source: source.name, outcome: "error", detail: message, versions: [] });
        }
      }
      const versions = bump.versionsInBetween.flatMap((version) => found.get(version) ?? []);
      const missing = bump.versionsInBetween.filter((version) => !found.has(version));
      // Remember a miss only when every source really answered (none skipped, none failed).
      if (attempts.every((attempt) => attempt.outcome === "found" || attempt.outcome === "nothing")) {
        for (const version of missing.filter((candidate) => !knownMissing.has(candidate))) deps.cache.put(missingKey(scope, bump.name, version), { checkedAt: now() });
      }
      return { notes: { versions, missing }, attempts };
    },
  };
}

function notesKey(scope: string, name: string, version: string): string {
  return `notes:v2:${scope}:${name}@${version}`;
}

function missingKey(scope: string, name: string, version: string): string {
  return `notes-missing:v2:${scope}:${name}@${version}`;
}
