import type { JsonCache } from "../../../registry/cache.js";
import { RegistryError } from "../../../registry/contract.js";
import type { TarballReader } from "../registry/tarball.js";
import { bestChangelog, isChangelogFile } from "../../../changelog/files.js";
import { type NotesSource, NotesSourceError, type VersionNotes } from "../../../changelog/types.js";

/** A changelog at the package's root ("CHANGELOG.md", "History.md"): what the notes read of a tarball. */
export function isPackagedChangelog(file: string): boolean {
  return !file.includes("/") && isChangelogFile(file);
}

/**
 * The changelog shipped in the target version's npm tarball. Needs no token and works for monorepo
 * packages, whose GitHub releases and root changelog often belong to another package.
 */
export function tarballSource(deps: { tarballs: TarballReader; cache: JsonCache }): NotesSource {
  return {
    name: "tarball",
    permanent: true,
    async fetch({ name, to, versions, manifest }) {
      if (!manifest.tarball) return [];
      const key = `tarball-changelog:v1:${name}@${to}`;
      let changelog = await deps.cache.get<{ path: string; content: string } | { none: true }>(key);
      if (!changelog) {
        try {
          const { files } = await deps.tarballs.read(name, to, manifest.tarball, manifest.integrity);
          changelog = bestChangelog(files.filter((file) => isPackagedChangelog(file.path))) ?? { none: true };
        } catch (error) {
          const code = error instanceof RegistryError && error.code === "not-found" ? "not-found" : "unavailable";
          throw new NotesSourceError(code, (error as Error).message);
        }
        deps.cache.put(key, changelog);
      }
      if ("none" in changelog) return [];
      // The Markdown parser is loaded only when a changelog is read (a warm run reads none).
      const { extractSections } = await import("../../../changelog/sections.js");
      const { found } = extractSections(changelog.content, versions);
      return found.map(
        (section): VersionNotes => ({ version: section.version, body: section.body, source: "tarball", url: `${manifest.tarball}#${changelog.path}` }),
      );
    },
  };
}
