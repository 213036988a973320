import { appendFile } from "node:fs/promises";
import { renderComment } from "../report/comment.js";
import type { Review } from "../review-types.js";
import { redactUserinfo } from "../secrets.js";
import { actionsRunUrl } from "./reports.js";

/**
 * In a GitHub Actions step: the step's outputs (`breaking`, `risky`, `report-dir`, read by action.yml)
 * and the job summary, the review shaped as the pull request comment is. Written once, at the end of
 * the run, so they say what the branch holds.
 */
export async function writeActionsStep(review: Review, outDir: string, failOn: "breaking" | "risky" | "never", env: NodeJS.ProcessEnv): Promise<void> {
  if (env.GITHUB_OUTPUT) {
    // A folder name cannot hold a line break in an output line: one is refused rather than written.
    const lines = [`breaking=${review.summary.breaking}`, `risky=${review.summary.risky}`, ...(/[\r\n]/.test(outDir) ? [] : [`report-dir=${outDir}`])];
    await appendFile(env.GITHUB_OUTPUT, `${lines.join("\n")}\n`);
  }
  if (env.GITHUB_STEP_SUMMARY) {
    const summary = redactUserinfo(renderComment(review, { failOn, ...actionsRunUrl(env) }));
    await appendFile(env.GITHUB_STEP_SUMMARY, `${summary}\n`);
  }
}
