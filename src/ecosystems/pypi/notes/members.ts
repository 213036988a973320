import type { ChangelogFormat } from "../../../changelog/sections.js";

// Root changelog names, in the order they are preferred when an sdist ships several.
const rootNames = ["changes", "changelog", "history", "news"];
const rootPattern = /^(changes|changelog|history|news)(\.(md|rst|txt))?$/i;
// docs/changelog.rst (many Sphinx projects; pytest's doc/en/changelog.rst), docs/**/release-notes.md (FastAPI's docs/en/docs/release-notes.md).
const docsChangelog = /^docs?\/(?:[^/]+\/)?changelog[^/]*\.(md|rst|txt)$/i;
const docsReleaseNotes = /^docs?\/(?:[^/]+\/)*release[-_]notes[^/]*\.(md|rst|txt)$/i;
// Django's layout: one reST file per release, docs/releases/5.1.1.txt.
const releaseFile = /^docs?\/releases\/(\d+(?:\.\d+)+(?:(?:a|b|rc)\d+)?)\.(txt|rst|md)$/i;

/** Lower is preferred; undefined when the member is not a changelog. */
export function changelogRank(path: string): number | undefined {
  if (rootPattern.test(path)) return rootNames.indexOf(path.toLowerCase().replace(/\..*$/, ""));
  const depth = path.split("/").length;
  if (docsChangelog.test(path)) return 10 + depth;
  // A translated copy is a worse choice than the English one (docs/en/…) of the same depth.
  if (docsReleaseNotes.test(path)) return 20 + depth * 2 + (/\/en\//.test(path) ? 0 : 1);
  return undefined;
}

/** The version a per-release notes file is for (`docs/releases/5.1.1.txt` → 5.1.1). */
export function releaseFileVersion(path: string): string | undefined {
  return releaseFile.exec(path)?.[1];
}

/** Markdown for .md; reStructuredText for .rst, .txt and no extension (what Python projects write). */
export function changelogFormat(path: string): ChangelogFormat {
  return /\.(md|markdown)$/i.test(path) ? "markdown" : "rst";
}

// Changelogs kept from one sdist: the best few, in case the best is a stub (`.. include:: ../CHANGES.rst`).
export const changelogsKept = 3;
