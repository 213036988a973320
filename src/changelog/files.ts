// Changelog file names, in the order they are preferred when a package ships several.
const baseNames = ["changelog", "history", "changes", "news", "releases", "release-notes", "release_notes"];
const extensions = [".md", ".markdown", "", ".txt", ".rst"];

/** Whether a file name is a changelog: CHANGELOG, HISTORY, CHANGES, NEWS, RELEASES, RELEASE-NOTES with .md/.markdown/.txt/.rst or none. */
export function isChangelogFile(file: string): boolean {
  return changelogRank(file) !== undefined;
}

/** Lower is better; undefined when the name is not a changelog's. */
export function changelogRank(file: string): number | undefined {
  const lower = file.toLowerCase();
  for (const [baseIndex, base] of baseNames.entries()) {
    for (const [extensionIndex, extension] of extensions.entries()) {
      if (lower === base + extension) return baseIndex * extensions.length + extensionIndex;
    }
  }
  return undefined;
}

export function bestChangelog<T extends { path: string }>(files: T[]): T | undefined {
  return [...files].sort((a, b) => (changelogRank(a.path) ?? 99) - (changelogRank(b.path) ?? 99))[0];
}
