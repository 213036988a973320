import type { NotesSource, VersionNotes } from "../../../changelog/types.js";
import { NotesSourceError } from "../../../changelog/types.js";
import type { JsonCache } from "../../../registry/cache.js";
import { RegistryError } from "../../../registry/contract.js";
import type { Versioning } from "../../../versioning.js";
import type { PypiIndex } from "../index/client.js";
import { normaliseName } from "../names.js";
import { ArchiveError, readSdistMembers } from "./archive.js";
import { changelogRank, changelogsKept, releaseFileVersion } from "./members.js";
import { releaseFileOf, type SdistChangelogs, sdistNotes } from "./notes.js";
import { extractSections } from "../../../changelog/sections.js";
import type { DescriptionChangelog } from "../index/metadata.js";

// What is cached per sdist: its changelogs, that it has none, or why it cannot be read (it never changes).
type CachedSdist = SdistChangelogs | { none: true } | { refused: string };

/**
 * The changelog shipped in the target version's sdist (CHANGES.rst, docs/**\/release-notes.md, Django's
 * docs/releases/X.Y.Z.txt): no GitHub needed. When it does not cover every version in between, the
 * sdists of the uncovered ones are read too, newest first (a project whose newer sdists dropped their
 * changelog, as Jinja2's did when it moved to flit, still has it in the older ones); at most
 * `archivesPerBump` archives per bump.
 */
export function sdistSource(deps: {
  index: Pick<PypiIndex, "sdist">;
  cache: JsonCache;
  scope: string;
  archivesPerBump?: number;
  /** The changelog the target's long description carries (its METADATA), read for versions no sdist covered. */
  description?: (name: string, version: string) => Promise<DescriptionChangelog | undefined>;
}): NotesSource {
  const archivesPerBump = deps.archivesPerBump ?? 4;

  async function changelogsOf(name: string, version: string, wanted: string[], versioning: Versioning | undefined): Promise<SdistChangelogs | undefined> {
    const key = `sdist-changelogs:v1:${deps.scope}:${normaliseName(name)}@${version}`;
    const cached = await deps.cache.get<CachedSdist>(key);
    if (cached && "refused" in cached) throw new NotesSourceError("invalid", cached.refused);
    if (cached && "none" in cached) return undefined;
    const readTexts = new Set(cached?.releaseTexts.map(([path]) => path));
    const unread = cached ? wanted.map((want) => releaseFileOf(cached, want, versioning)).filter((path): path is string => path !== undefined && !readTexts.has(path)) : [];
    if (cached && unread.length === 0) return cached;
    let entry: CachedSdist;
    try {
      entry = (await readSdist(name, version, wanted, versioning)) ?? { none: true };
    } catch (error) {
      if (!(error instanceof ArchiveError)) throw error;
      entry = { refused: error.message };
    }
    if ("releaseTexts" in entry && cached) entry.releaseTexts = [...new Map([...cached.releaseTexts, ...entry.releaseTexts])];
    deps.cache.put(key, entry);
    if ("refused" in entry) throw new NotesSourceError("invalid", entry.refused);
    return "none" in entry ? undefined : entry;
  }

  async function readSdist(name: string, version: string, wanted: string[], versioning: Versioning | undefined): Promise<SdistChangelogs | undefined> {
    let download;
    try {
      download = await deps.index.sdist(name, version);
    } catch (error) {
      const code = error instanceof RegistryError && error.code === "not-found" ? "not-found" : "unavailable";
      throw new NotesSourceError(code, (error as Error).message);
    }
    if (!download) return undefined;
    const isWantedRelease = (path: string) => {
      const fileVersion = releaseFileVersion(path);
      return fileVersion !== undefined && wanted.some((want) => want === fileVersion || (versioning?.normalise(fileVersion) !== null && versioning?.compare(want, fileVersion) === 0));
    };
    let members;
    try {
      members = await readSdistMembers({ filename: download.file.filename, body: download.body, ...(download.bytes ? { bytes: download.bytes } : {}) }, (path) => changelogRank(path) !== undefined || isWantedRelease(path));
    } catch (error) {
      if (error instanceof ArchiveError) throw error;
      // The download broke off (a timeout, a reset): not the archive's fault, so not remembered.
      throw new NotesSourceError("unavailable", `${download.file.filename} could not be read: ${(error as Error).message}`);
    }
    const changelogs = [...members.texts]
      .filter(([path]) => changelogRank(path) !== undefined)
      .sort(([a], [b]) => (changelogRank(a) ?? 99) - (changelogRank(b) ?? 99) || a.localeCompare(b))
      .slice(0, changelogsKept)
      .map(([path, content]) => ({ path, content }));
    const releaseTexts = [...members.texts].filter(([path]) => releaseFileVersion(path) !== undefined);
    // A changelog that is a link or points outside the archive: say why there are no notes, rather than "none".
    if (changelogs.length === 0 && releaseTexts.length === 0 && members.skipped.size > 0) {
      const [path, why] = [...members.skipped][0] ?? ["", ""];
      throw new ArchiveError(`${download.file.filename}: ${path} was not read (${why})`);
    }
    const releaseFiles = members.paths.flatMap((path): [string, string][] => {
      const fileVersion = releaseFileVersion(path);
      return fileVersion ? [[fileVersion, path]] : [];
    });
    return { url: download.file.url, changelogs, releaseFiles, releaseTexts };
  }

  return {
    name: "sdist",
    permanent: true,
    // 3: also the long description's changelog; 2: older sdists newest first until one has the changelog.
    revision: 3,
    async fetch({ name, to, versions, versioning }) {
      const found = new Map<string, VersionNotes>();
      const target = await changelogsOf(name, to, versions, versioning);
      for (const note of target ? sdistNotes(target, versions, versioning, name) : []) found.set(note.version, note);
      const tried = new Set([to]);
      for (let archives = 1; archives < archivesPerBump; archives++) {
        const uncovered = versions.filter((version) => !found.has(version) && !tried.has(version));
        const older = uncovered.at(-1);
        if (!older) break;
        tried.add(older);
        // The target answered: an older archive that cannot be read only leaves its versions missing.
        const contents = await changelogsOf(name, older, uncovered, versioning).catch(() => undefined);
        for (const note of contents ? sdistNotes(contents, uncovered, versioning, name) : []) found.set(note.version, note);
      }
      const left = versions.filter((version) => !found.has(version));
      const described = left.length > 0 ? await deps.description?.(name, to).catch(() => undefined) : undefined;
      if (described) {
        for (const section of extractSections(described.text, left, versioning, described.format, name).found) {
          found.set(section.version, { version: section.version, body: section.body, source: "description" });
        }
      }
      return versions.flatMap((version) => found.get(version) ?? []);
    },
  };
}
