import type { Versioning } from "../../versioning.js";
import type { GitHubRequester } from "../../github/lazy.js";
import { type NotesSource, NotesSourceError, type VersionNotes } from "../types.js";
import { githubFailure } from "./github-errors.js";

// 100 releases a page (GitHub's maximum); a busy monorepo is searched this many pages deep at most.
const maxPages = 5;

/** GitHub releases whose tags name one of the versions: v1.2.3, 1.2.3, name@1.2.3, @scope/name@1.2.3, name-v1.2.3. */
export function githubReleasesSource(client: GitHubRequester): NotesSource {
  return {
    name: "github-release",
    async fetch({ name, versions, repository, versioning }) {
      if (!repository) return [];
      // Tags name versions as the project spells them ("v2.7.4"); matched in normalised form.
      const spelled = new Map(versions.map((version) => [versioning?.normalise(version) ?? version, version]));
      const wanted = new Set(spelled.keys());
      const notes: VersionNotes[] = [];
      for (let page = 1; page <= maxPages && wanted.size > 0; page++) {
        let releases: { tag_name: string; body?: string | null; html_url: string; draft: boolean }[];
        try {
          const response = await client.request("GET /repos/{owner}/{repo}/releases", {
            owner: repository.owner,
            repo: repository.repo,
            per_page: 100,
            page,
          });
          releases = response.data;
        } catch (error) {
          throw githubFailure(error, `releases of ${repository.owner}/${repository.repo}`);
        }
        if (!Array.isArray(releases)) throw new NotesSourceError("invalid", "GitHub's release list is not a list");
        for (const release of releases) {
          const tagged = tagVersion(release.tag_name, name, versioning);
          const version = tagged === undefined ? undefined : (versioning?.normalise(tagged) ?? tagged);
          if (!version || !wanted.has(version) || release.draft || !release.body?.trim()) continue;
          wanted.delete(version);
          notes.push({ version: spelled.get(version) ?? version, body: release.body.trim(), source: "github-release", url: release.html_url });
        }
        if (releases.length < 100) break;
      }
      return notes;
    },
  };
}

/** The version a tag names for this package, or undefined when the tag is another package's. */
export function tagVersion(tag: string, packageName: string, versioning?: Versioning): string | undefined {
  // PEP 440 tags may have two parts ("2.0") or a pre/post-release suffix ("1.4.0rc1").
  const pattern = versioning?.scheme === "pep440" ? /^(.*?)(\d+(?:\.\d+)+[0-9A-Za-z.+-]*)$/ : /^(.*?)(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;
  const match = pattern.exec(tag);
  if (!match) return undefined;
  const [, prefix = "", version] = match;
  const unscoped = packageName.replace(/^@[^/]+\//, "");
  const prefixes = ["", "v", `${packageName}@`, `${packageName}@v`, `${unscoped}@`, `${unscoped}@v`, `${unscoped}-v`, `${unscoped}-`, `${packageName}-v`];
  return prefixes.includes(prefix) ? version : undefined;
}
