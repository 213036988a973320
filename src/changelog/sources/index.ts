import type { GitHubRequester } from "../../github/lazy.js";
import type { JsonCache } from "../../registry/cache.js";
import type { TarballReader } from "../../registry/tarball.js";
import type { NotesSource } from "../types.js";
import { githubChangelogSource } from "./github-changelog.js";
import { githubReleasesSource } from "./github-releases.js";
import { tarballSource } from "./tarball.js";

/**
 * The sources in the order that gives the richest notes for the calls allowed. With a GitHub token,
 * releases first (written per version, often with migration notes); without one, the tarball first,
 * so GitHub's 60 unauthenticated calls an hour go only to versions the tarball did not cover.
 */
export function notesSources(deps: { tarballs?: TarballReader; cache: JsonCache; github: GitHubRequester; githubToken: boolean }): NotesSource[] {
  const releases = githubReleasesSource(deps.github);
  const changelog = githubChangelogSource(deps.github);
  if (!deps.tarballs) return [releases, changelog];
  const tarball = tarballSource({ ...deps, tarballs: deps.tarballs });
  return deps.githubToken ? [releases, tarball, changelog] : [tarball, releases, changelog];
}
