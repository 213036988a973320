import type { VersionNotes } from "../changelog/types.js";
import type { GitHubRepository } from "../changelog/repository.js";
import type { BumpLinks } from "../review-types.js";
import type { Bump } from "../types.js";

/**
 * The links a reviewer follows from a bump: the registry's page of the target, the GitHub repository,
 * and the compare view from → to — only when a GitHub release of this package shows how its tags are
 * named (v1.2.3, 1.2.3, name@1.2.3): a guessed tag would link to a 404.
 */
export function bumpLinks(bump: Pick<Bump, "name" | "from" | "to">, registryPage: string, repository: GitHubRepository | undefined, notes: VersionNotes[]): BumpLinks {
  const links: BumpLinks = { registry: registryPage };
  if (!repository) return links;
  const base = `https://github.com/${encodeURIComponent(repository.owner)}/${encodeURIComponent(repository.repo)}`;
  links.repository = repository.directory ? `${base}/tree/HEAD/${repository.directory.split("/").map(encodeURIComponent).join("/")}` : base;
  const tag = tagPattern(bump.name, notes);
  if (tag) links.compare = `${base}/compare/${encodeURIComponent(tag(bump.from))}...${encodeURIComponent(tag(bump.to))}`;
  return links;
}

function tagPattern(name: string, notes: VersionNotes[]): ((version: string) => string) | undefined {
  const patterns = [(version: string) => `v${version}`, (version: string) => version, (version: string) => `${name}@${version}`];
  for (const note of notes) {
    if (note.source !== "github-release" || !note.url) continue;
    const tag = decodeURIComponent(/\/releases\/tag\/([^/?#]+)$/.exec(note.url)?.[1] ?? "");
    const pattern = patterns.find((candidate) => candidate(note.version) === tag);
    if (pattern) return pattern;
  }
  return undefined;
}
