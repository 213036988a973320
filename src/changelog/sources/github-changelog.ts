import type { GitHubClient } from "../../github/client.js";
import { bestChangelog, changelogRank, isChangelogFile } from "../files.js";
import { extractSections } from "../sections.js";
import type { NotesRequest, NotesSource, VersionNotes } from "../types.js";
import { githubFailure } from "./github-errors.js";

interface ContentEntry {
  name: string;
  path: string;
  type: string;
  html_url?: string | null;
}

interface TreeEntry {
  path: string;
  type: string;
}

// Folders a changelog lives in below the root (FastAPI: docs/en/docs/release-notes.md); tests and vendored code are not notes.
const skippedFolders = /(^|\/)(tests?|node_modules|vendor|third_party|\.github|examples?|fixtures?)\//i;
const maxTreeCandidates = 3;

/**
 * The changelog file in the repository: in `repository.directory` first, then the root; else one
 * look at the whole tree (git trees API) for changelog-named files anywhere, shallowest first.
 */
export function githubChangelogSource(client: GitHubClient): NotesSource {
  return {
    name: "changelog-file",
    async fetch(request) {
      const { repository } = request;
      if (!repository) return [];
      const { owner, repo } = repository;
      const folders = repository.directory ? [repository.directory, ""] : [""];
      for (const folder of folders) {
        let entries: ContentEntry[];
        try {
          const response = await client.request("GET /repos/{owner}/{repo}/contents/{+path}", { owner, repo, path: folder });
          entries = Array.isArray(response.data) ? (response.data as ContentEntry[]) : [];
        } catch (error) {
          const failure = githubFailure(error, `folder "${folder || "/"}" of ${owner}/${repo}`);
          if (failure.code === "not-found") continue;
          throw failure;
        }
        const file = bestChangelog(entries.filter((entry) => entry.type === "file" && isChangelogFile(entry.name)));
        if (file) return sectionsOf(client, request, file.path, file.html_url ?? undefined);
      }
      for (const path of await treeCandidates(client, owner, repo)) {
        const notes = await sectionsOf(client, request, path, `https://github.com/${owner}/${repo}/blob/HEAD/${path}`);
        if (notes.length > 0) return notes;
      }
      return [];
    },
  };
}

async function treeCandidates(client: GitHubClient, owner: string, repo: string): Promise<string[]> {
  let tree: TreeEntry[];
  try {
    const response = await client.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", { owner, repo, tree_sha: "HEAD", recursive: "1" });
    tree = Array.isArray(response.data.tree) ? (response.data.tree as TreeEntry[]) : [];
  } catch (error) {
    const failure = githubFailure(error, `the file tree of ${owner}/${repo}`);
    if (failure.code === "not-found") return [];
    throw failure;
  }
  const depth = (path: string) => path.split("/").length;
  return tree
    .filter((entry) => entry.type === "blob" && isChangelogFile(entry.path.split("/").at(-1) ?? "") && !skippedFolders.test(entry.path))
    .sort((a, b) => depth(a.path) - depth(b.path) || (changelogRank(a.path.split("/").at(-1) ?? "") ?? 99) - (changelogRank(b.path.split("/").at(-1) ?? "") ?? 99))
    .slice(0, maxTreeCandidates)
    .map((entry) => entry.path);
}

async function sectionsOf(client: GitHubClient, request: NotesRequest, path: string, url: string | undefined): Promise<VersionNotes[]> {
  const { owner, repo } = request.repository ?? { owner: "", repo: "" };
  let content: string;
  try {
    const response = await client.request("GET /repos/{owner}/{repo}/contents/{+path}", { owner, repo, path, headers: { accept: "application/vnd.github.raw+json" } });
    content = String(response.data);
  } catch (error) {
    throw githubFailure(error, `${path} of ${owner}/${repo}`);
  }
  const { found } = extractSections(content, request.versions, request.versioning);
  return found.map((section): VersionNotes => ({ version: section.version, body: section.body, source: "changelog-file", ...(url ? { url } : {}) }));
}
