import type { GitHubClient } from "../../github/client.js";
import { bestChangelog, isChangelogFile } from "../files.js";
import { extractSections } from "../sections.js";
import type { NotesSource, VersionNotes } from "../types.js";
import { githubFailure } from "./github-errors.js";

interface ContentEntry {
  name: string;
  path: string;
  type: string;
  html_url?: string | null;
}

/** The changelog file in the repository: in `repository.directory` first, then the root. */
export function githubChangelogSource(client: GitHubClient): NotesSource {
  return {
    name: "changelog-file",
    async fetch({ versions, repository }) {
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
        if (!file) continue;
        let content: string;
        try {
          const response = await client.request("GET /repos/{owner}/{repo}/contents/{+path}", {
            owner,
            repo,
            path: file.path,
            headers: { accept: "application/vnd.github.raw+json" },
          });
          content = String(response.data);
        } catch (error) {
          throw githubFailure(error, `${file.path} of ${owner}/${repo}`);
        }
        const { found } = extractSections(content, versions);
        return found.map(
          (section): VersionNotes => ({
            version: section.version,
            body: section.body,
            source: "changelog-file",
            ...(file.html_url ? { url: file.html_url } : {}),
          }),
        );
      }
      return [];
    },
  };
}
