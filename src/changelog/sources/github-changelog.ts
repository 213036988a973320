import type { GitHubRequester } from "../../github/lazy.js";
import { bestChangelog, changelogRank, isChangelogFile } from "../files.js";
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
 * look at the whole tree (git trees API): one file per version (`docs/releases/5.1.1.txt`), or
 * changelog-named files anywhere (`docs/en/docs/release-notes.md`), shallowest first.
 */
export function githubChangelogSource(client: GitHubRequester): NotesSource {
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
      const tree = await treePaths(client, owner, repo);
      const perVersion = await perVersionFiles(client, request, tree);
      if (perVersion.length > 0) return perVersion;
      for (const path of changelogCandidates(tree)) {
        const notes = await sectionsOf(client, request, path, `https://github.com/${owner}/${repo}/blob/HEAD/${path}`);
        if (notes.length > 0) return notes;
      }
      return [];
    },
  };
}

async function treePaths(client: GitHubRequester, owner: string, repo: string): Promise<string[]> {
  let tree: TreeEntry[];
  try {
    const response = await client.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", { owner, repo, tree_sha: "HEAD", recursive: "1" });
    tree = Array.isArray(response.data.tree) ? (response.data.tree) : [];
  } catch (error) {
    const failure = githubFailure(error, `the file tree of ${owner}/${repo}`);
    if (failure.code === "not-found") return [];
    throw failure;
  }
  return tree.filter((entry) => entry.type === "blob" && !skippedFolders.test(entry.path)).map((entry) => entry.path);
}

function changelogCandidates(paths: string[]): string[] {
  const depth = (path: string) => path.split("/").length;
  const rank = (path: string) => changelogRank(path.split("/").at(-1) ?? "") ?? 99;
  return paths
    .filter((path) => isChangelogFile(path.split("/").at(-1) ?? ""))
    .sort((a, b) => depth(a) - depth(b) || rank(a) - rank(b))
    .slice(0, maxTreeCandidates);
}

// One file per version, as Django keeps them (docs/releases/5.1.1.txt): each whole file is that version's notes.
const maxPerVersionFiles = 10;
async function perVersionFiles(client: GitHubRequester, request: NotesRequest, paths: string[]): Promise<VersionNotes[]> {
  const { owner, repo } = request.repository ?? { owner: "", repo: "" };
  const notes: VersionNotes[] = [];
  for (const version of request.versions.slice(-maxPerVersionFiles)) {
    const escaped = version.replace(/[.+]/g, "\\$&");
    const file = paths.find((path) => new RegExp(`(^|/)(releases?|changelog|changes|news)/v?${escaped}\\.(txt|rst|md)$`, "i").test(path));
    if (!file) continue;
    const content = await raw(client, owner, repo, file);
    if (content.trim()) notes.push({ version, body: content.trim(), source: "changelog-file", url: `https://github.com/${owner}/${repo}/blob/HEAD/${file}` });
  }
  return notes;
}

async function raw(client: GitHubRequester, owner: string, repo: string, path: string): Promise<string> {
  try {
    const response = await client.request("GET /repos/{owner}/{repo}/contents/{+path}", { owner, repo, path, headers: { accept: "application/vnd.github.raw+json" } });
    return String(response.data);
  } catch (error) {
    throw githubFailure(error, `${path} of ${owner}/${repo}`);
  }
}

async function sectionsOf(client: GitHubRequester, request: NotesRequest, path: string, url: string | undefined): Promise<VersionNotes[]> {
  const { owner, repo } = request.repository ?? { owner: "", repo: "" };
  const content = await raw(client, owner, repo, path);
  const { extractSections } = await import("../sections.js");
  const { found } = extractSections(content, request.versions, request.versioning);
  return found.map((section): VersionNotes => ({ version: section.version, body: section.body, source: "changelog-file", ...(url ? { url } : {}) }));
}
