import hostedGitInfo from "hosted-git-info";
import type { PublishedVersion } from "../registry/contract.js";

export interface GitHubRepository {
  owner: string;
  repo: string;
  /** The package's folder in a monorepo (`repository.directory`), without leading or trailing slashes. */
  directory?: string;
}

/**
 * The GitHub repository of a package, from `repository` (shorthands like `github:o/r` and `o/r`,
 * git+https, git+ssh, objects with `directory`), else `homepage`, else `bugs.url`.
 */
export function githubRepository(manifest: Pick<PublishedVersion, "repository" | "homepage" | "bugs">): GitHubRepository | undefined {
  const repository = manifest.repository;
  const url = typeof repository === "string" ? repository : stringField(repository, "url");
  const directory = typeof repository === "object" ? stringField(repository, "directory") : undefined;
  for (const candidate of [url, manifest.homepage, typeof manifest.bugs === "string" ? manifest.bugs : stringField(manifest.bugs, "url")]) {
    const found = candidate ? fromUrl(candidate) : undefined;
    if (!found) continue;
    const cleanDirectory = (directory ?? treeDirectory(candidate ?? ""))?.replace(/^\.?\/+|\/+$/g, "");
    return cleanDirectory ? { ...found, directory: cleanDirectory } : found;
  }
  return undefined;
}

function fromUrl(url: string): GitHubRepository | undefined {
  // A web page of the repository (homepage "…#readme", bugs "…/issues").
  const page = /^https?:\/\/(?:www\.)?github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?(?:[/#?].*)?$/.exec(url.trim());
  if (page?.[1] && page[2]) return { owner: page[1], repo: page[2] };
  try {
    const info = hostedGitInfo.fromUrl(url.trim());
    if (info?.type !== "github" || !info.user || !info.project) return undefined;
    return { owner: info.user, repo: info.project };
  } catch {
    return undefined;
  }
}

// https://github.com/o/r/tree/main/packages/x → packages/x
function treeDirectory(url: string): string | undefined {
  return /github\.com\/[^/]+\/[^/]+\/tree\/[^/]+\/(.+?)(?:#.*)?$/.exec(url)?.[1];
}

function stringField(value: unknown, field: string): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const found = (value as Record<string, unknown>)[field];
  return typeof found === "string" ? found : undefined;
}
