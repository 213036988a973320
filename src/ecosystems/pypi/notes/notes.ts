import { extractSections } from "../../../changelog/sections.js";
import { rstHeadings } from "../../../changelog/rst.js";
import type { VersionNotes } from "../../../changelog/types.js";
import type { Versioning } from "../../../versioning.js";
import { changelogFormat } from "./members.js";

/** What one sdist holds for release notes, as cached: its changelogs and its per-release files. */
export interface SdistChangelogs {
  /** The sdist's URL on the index: notes link to `url#member`. */
  url: string;
  /** The best few changelogs, best first. */
  changelogs: { path: string; content: string }[];
  /** Every per-release file in the archive (version, path), and the texts of those read so far. */
  releaseFiles: [string, string][];
  releaseTexts: [string, string][];
}

const sameVersion = (a: string, b: string, versioning: Versioning | undefined) => a === b || (versioning?.normalise(a) !== null && versioning?.compare(a, b) === 0);

/** The per-release file of `version`, if the sdist has one (Django's 5.1 is docs/releases/5.1.txt). */
export function releaseFileOf(contents: Pick<SdistChangelogs, "releaseFiles">, version: string, versioning: Versioning | undefined): string | undefined {
  return contents.releaseFiles.find(([fileVersion]) => sameVersion(fileVersion, version, versioning))?.[1];
}

/**
 * Notes for the wanted versions: a per-release file when there is one, else a section of the changelogs
 * in their order. `name` is the distribution's: pytest titles its releases "pytest 8.4.2 (2025-09-04)".
 */
export function sdistNotes(contents: SdistChangelogs, wanted: string[], versioning: Versioning | undefined, name?: string): VersionNotes[] {
  const notes = new Map<string, VersionNotes>();
  const texts = new Map(contents.releaseTexts);
  for (const version of wanted) {
    const path = releaseFileOf(contents, version, versioning);
    const text = path ? texts.get(path) : undefined;
    if (path && text !== undefined) notes.set(version, { version, body: withoutTitle(text), source: "sdist", url: `${contents.url}#${path}` });
  }
  for (const changelog of contents.changelogs) {
    const remaining = wanted.filter((version) => !notes.has(version));
    if (remaining.length === 0) break;
    for (const section of extractSections(changelog.content, remaining, versioning, changelogFormat(changelog.path), name).found) {
      notes.set(section.version, { version: section.version, body: section.body, source: "sdist", url: `${contents.url}#${changelog.path}` });
    }
  }
  return wanted.flatMap((version) => notes.get(version) ?? []);
}

// A per-release file's title ("Django 5.1.1 release notes") says nothing the version does not.
function withoutTitle(text: string): string {
  const title = rstHeadings(text, undefined)[0];
  return (title && text.slice(0, title.start).trim() === "" ? text.slice(title.end) : text).trim();
}
