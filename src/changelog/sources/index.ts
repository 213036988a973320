import type { GitHubRequester } from "../../github/lazy.js";
import type { NotesSource } from "../types.js";
import { githubChangelogSource } from "./github-changelog.js";
import { githubReleasesSource } from "./github-releases.js";

/**
 * The sources in the order that gives the richest notes for the calls allowed. `packaged` is the
 * ecosystem's own: the changelog inside the published archive (npm tarball, Python sdist). With a
 * GitHub token, releases first (written per version, often with migration notes); without one, the
 * archive first, so GitHub's 60 unauthenticated calls an hour go only to versions it did not cover.
 */
export function notesSources(deps: { packaged?: NotesSource; github: GitHubRequester; githubToken: boolean }): NotesSource[] {
  const releases = githubReleasesSource(deps.github);
  const changelog = githubChangelogSource(deps.github);
  if (!deps.packaged) return [releases, changelog];
  return deps.githubToken ? [releases, deps.packaged, changelog] : [deps.packaged, releases, changelog];
}
