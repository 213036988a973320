import path from "node:path";
import { renderHtml } from "../report/html.js";
import { renderJson } from "../report/json.js";
import { renderMarkdown } from "../report/markdown.js";
import { writeFileAtomic } from "../report/write.js";
import type { Review } from "../review-types.js";

/**
 * Writes report.json, report.md and report.html into `outDir` (again once the branch is made, so the
 * reports say what it holds); returns the JSON written, for --json. The default folder ignores itself.
 */
export async function writeReports(review: Review, outDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const json = renderJson(review);
  await writeFileAtomic(path.join(outDir, "report.json"), json);
  // The report folder ignores itself (as pytest and ruff caches do), so it never dirties the checkout.
  if (path.basename(outDir) === ".bumpwise") await writeFileAtomic(path.join(outDir, ".gitignore"), "*\n");
  await writeFileAtomic(path.join(outDir, "report.md"), renderMarkdown(review, undefined, actionsRunUrl(env)));
  await writeFileAtomic(path.join(outDir, "report.html"), renderHtml(review));
  return json;
}

// In GitHub Actions, the run whose artifacts carry report.html (init ci uploads it).
export function actionsRunUrl(env: NodeJS.ProcessEnv): { runUrl?: string } {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = env;
  if (!server || !repository || !run || !/^https:\/\//.test(server) || !/^[\w.-]+\/[\w.-]+$/.test(repository) || !/^\d+$/.test(run)) return {};
  return { runUrl: `${server}/${repository}/actions/runs/${run}` };
}
