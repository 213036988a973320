// The project-level evaluation: each labelled app (fixtures/eval/apps/ for npm, fixtures/eval/python-apps/
// for Python; each folder has its own labels.json) goes through the real CLI
// (`bumpwise review --as-of <labelling date> --no-github --llm off --api-budget 60`) against the registry
// in your .npmrc (PyPI for the Python apps, which need uv on PATH to relock), and its verdicts are scored
// against the hand labels: for the npm apps, the Python apps, and both together. The generous budget keeps the
// verdicts from depending on how busy the machine is (a typecheck cut short is not a verdict).
import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { run } from "../src/cli/main.js";
import { forgetCachedReplies, printModelEffect, type StoredReplies, startStoredReplies } from "./eval-llm.js";
import type { Review } from "../src/review-types.js";

type Label = "breaks-this-project" | "breaks-others" | "minor" | "false-alarm" | "unjudged";

interface LabelledBump {
  app: string;
  package: string;
  from: string;
  to: string;
  label: Label;
  why: string;
}

export interface Judged extends LabelledBump {
  verdict: string;
  reason: string;
  /** With the model: the claims whose quotes failed verification, and whether a disagreement was shown. */
  dropped?: string[];
  kept?: number;
  disagreement?: boolean;
}

export const appSets = [
  { title: "npm apps", dir: path.resolve(import.meta.dirname, "../fixtures/eval/apps") },
  { title: "Python apps", dir: path.resolve(import.meta.dirname, "../fixtures/eval/python-apps") },
];
const labelledOn = "2026-12-02";

/** One app through the CLI; with `claudeUrl`, `--llm anthropic` against the local Messages API there. */
export async function reviewApp(appsDir: string, app: string, cacheDir: string, extra: string[], claudeUrl?: string): Promise<Review> {
  const out = await mkdtemp(path.join(os.tmpdir(), `bumpwise-eval-${app}-`));
  let stderr = "";
  const llm = claudeUrl ? ["--llm", "anthropic"] : ["--llm", "off"];
  const claudeEnv = claudeUrl ? { ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: claudeUrl } : {};
  const code = await run(["review", path.join(appsDir, app), "--as-of", labelledOn, "--no-github", ...llm, "--api-budget", "60", "--out", out, ...extra], {
    stdout: { write: () => true },
    stderr: { write: (text: string) => (stderr += text) },
    cwd: process.cwd(),
    env: { ...process.env, BUMPWISE_CACHE_DIR: cacheDir, ...claudeEnv },
  });
  if (code !== 0) throw new Error(`bumpwise review ${app} exited ${code}: ${stderr.trim().split("\n").at(-1)}`);
  return JSON.parse(await readFile(path.join(out, "report.json"), "utf8")) as Review;
}

function ratio(hit: number, total: number): string {
  return total === 0 ? "n/a (0/0)" : `${(hit / total).toFixed(2)} (${hit}/${total})`;
}

async function judgeApps(appsDir: string, cacheDir: string, extra: string[], claude?: StoredReplies): Promise<{ judged: Judged[]; unlabelled: string[] }> {
  const labels = JSON.parse(await readFile(path.join(appsDir, "labels.json"), "utf8")) as LabelledBump[];
  const judged: Judged[] = [];
  const unlabelled: string[] = [];
  for (const app of [...new Set(labels.map((label) => label.app))]) {
    const started = performance.now();
    claude?.forApp(app);
    const review = await reviewApp(appsDir, app, cacheDir, extra, claude?.url);
    console.log(`${app}: ${review.bumps.length} bumps reviewed in ${((performance.now() - started) / 1000).toFixed(1)} s (${review.errors.length} errors)`);
    for (const bump of review.bumps) {
      const label = labels.find((candidate) => candidate.app === app && candidate.package === bump.name && candidate.from === bump.from && candidate.to === bump.to);
      if (!label) unlabelled.push(`${app} ${bump.name} ${bump.from} → ${bump.to}`);
      else if (!claude) judged.push({ ...label, verdict: bump.verdict.verdict, reason: bump.verdict.reason });
      else {
        const dropped = bump.llm && "dropped" in bump.llm ? bump.llm.dropped : [];
        const kept = bump.signals.filter((signal) => signal.analyzer === "llm").length;
        judged.push({ ...label, verdict: bump.verdict.verdict, reason: bump.verdict.reason, dropped, kept, disagreement: bump.disagreement !== undefined });
      }
    }
  }
  return { judged, unlabelled };
}

export function printScores(title: string, judged: Judged[], unlabelled: string[], details: boolean): void {
  const scored = judged.filter((item) => item.label !== "unjudged");
  const breaking = scored.filter((item) => item.verdict === "breaking");
  const risky = scored.filter((item) => item.verdict === "risky");
  const projectBreaks = scored.filter((item) => item.label === "breaks-this-project");
  const isBreak = (item: Judged) => item.label === "breaks-this-project" || item.label === "breaks-others";
  console.log(`\n${title}: ${scored.length} bumps scored (${judged.length - scored.length} unjudged, ${unlabelled.length} without a label)`);
  console.log(`  breaking precision:   ${ratio(breaking.filter((item) => item.label === "breaks-this-project").length, breaking.length)}`);
  console.log(`  risky precision:      ${ratio(risky.filter(isBreak).length, risky.length)}`);
  console.log(`  project-break recall: ${ratio(projectBreaks.filter((item) => item.verdict === "breaking").length, projectBreaks.length)}`);
  console.log(`  false alarms at breaking (labelled minor or false-alarm): ${breaking.filter((item) => item.label === "minor" || item.label === "false-alarm").length}`);
  const counts = new Map<string, number>();
  for (const item of scored) counts.set(`${item.label} → ${item.verdict}`, (counts.get(`${item.label} → ${item.verdict}`) ?? 0) + 1);
  console.log(`  label → verdict: ${[...counts].sort().map(([key, count]) => `${key}: ${count}`).join("; ")}`);
  if (!details) return;
  const wrong = scored.filter((item) => (item.verdict === "breaking") !== (item.label === "breaks-this-project") || (item.verdict === "risky" && !isBreak(item)));
  for (const item of wrong) console.log(`  ${item.verdict} but ${item.label}: ${item.app} ${item.package} ${item.from} → ${item.to} — ${item.reason}`);
  for (const line of unlabelled) console.log(`  no label: ${line}`);
}

export async function evaluateApps(extra: string[] = []): Promise<void> {
  const cacheDir = path.join(os.tmpdir(), "bumpwise-eval-apps-cache");
  const all: { judged: Judged[]; unlabelled: string[] } = { judged: [], unlabelled: [] };
  let npmWithout: Judged[] = [];
  for (const set of appSets) {
    const result = await judgeApps(set.dir, cacheDir, extra);
    printScores(`labelled ${set.title}`, result.judged, result.unlabelled, true);
    if (set === appSets[0]) npmWithout = result.judged;
    all.judged.push(...result.judged);
    all.unlabelled.push(...result.unlabelled);
  }
  printScores("labelled apps, npm and Python combined", all.judged, all.unlabelled, false);
  await evaluateWithModel(appSets[0]!.dir, cacheDir, extra, npmWithout);
}

// The second pass over the npm apps: `--llm anthropic` against a local Messages API serving the replies
// a careful reviewer wrote (fixtures/anthropic/eval/), scored beside the first pass.
async function evaluateWithModel(appsDir: string, cacheDir: string, extra: string[], without: Judged[]): Promise<void> {
  // Claude's replies are cached by prompt: dropped so every bump asks the fake (and the stored reply as it is now) again.
  await forgetCachedReplies(cacheDir);
  const claude = await startStoredReplies();
  try {
    const result = await judgeApps(appsDir, cacheDir, extra, claude);
    printScores("labelled npm apps WITH the model (stored replies of a careful reviewer)", result.judged, result.unlabelled, true);
    printModelEffect(without, result.judged, claude.served);
  } finally {
    await claude.close();
  }
}
