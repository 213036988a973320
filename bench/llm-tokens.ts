// What Claude is sent per bump, on the labelled apps (fixtures/eval/apps/: real lockfiles with source,
// so use sites, project facts and type changes are in the prompts) and the large fixture lockfile, at a
// local Messages API that answers "unknown" to everything; and the calls a warm re-run makes (should be
// 0). Tokens are estimated as characters / 4 (system block + user message), the usual rule of thumb for
// English and code; the real count depends on the tokenizer.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startFakeAnthropic } from "../test/helpers/fake-anthropic.js";

const root = path.resolve(import.meta.dirname, "..");
const projects = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["fixtures/eval/apps/legacy-api", "fixtures/eval/apps/react-shop", "fixtures/eval/apps/ops-cli", "fixtures/lockfiles/large-npm"];
const baselines = JSON.parse(readFileSync(path.join(root, "bench/baselines/llm-tokens.json"), "utf8")) as { commit: string; apps: Record<string, { median: number; p90: number; system: number; withTypes: number }> };
const claude = await startFakeAnthropic();
claude.fallback = () => ({
  json: { verdict: "unknown", confidence: 0, summary: "benchmark", changes: [], affectsYou: { affected: "unknown", reasoning: "" }, edits: [] },
});

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

async function measure(fixture: string): Promise<void> {
  const project = await mkdtemp(path.join(os.tmpdir(), "bumpwise-bench-llm-"));
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-bench-llm-cache-"));
  await cp(path.join(root, fixture), project, { recursive: true });
  const run = () =>
    new Promise<void>((resolve, reject) =>
      execFile(
        process.execPath,
        [path.join(root, "dist/cli/bin.js"), "review", project, "--as-of", "2026-12-02", "--no-github", "--llm", "anthropic", "--api-budget", "60", "--out", project],
        { env: { ...process.env, BUMPWISE_CACHE_DIR: cacheDir, ANTHROPIC_API_KEY: "sk-ant-bench", ANTHROPIC_BASE_URL: claude.url } },
        (error) => (error ? reject(error) : resolve()),
      ),
    );
  try {
    const first = claude.requests.length;
    await run();
    const requests = claude.requests.slice(first);
    const systemTokens = Math.round(JSON.stringify(requests[0]?.system ?? "").length / 4);
    const tokens = requests.map((request) => Math.round((JSON.stringify(request.system).length + (request.messages[0]?.content.length ?? 0)) / 4)).sort((a, b) => a - b);
    const user = (request: (typeof requests)[number]) => request.messages[0]?.content ?? "";
    const withTypes = requests.filter((request) => /<<<DATA-[0-9a-f]+ types\n/.test(user(request))).length;
    const withManifest = requests.filter((request) => /<<<DATA-[0-9a-f]+ manifest\n/.test(user(request))).length;
    console.log(
      `${fixture}: ${requests.length} calls; tokens per bump median ~${percentile(tokens, 0.5)}, p90 ~${percentile(tokens, 0.9)}, max ~${tokens.at(-1) ?? 0}; ` +
        `cached system block ~${systemTokens} tokens (read from the cache on ${Math.max(0, requests.length - 1)} of ${requests.length} calls); ` +
        `bumps with a quotable non-notes source: ${withTypes} with type declarations, ${withManifest} with manifests`,
    );
    const baseline = baselines.apps[fixture];
    if (baseline) {
      const median = percentile(tokens, 0.5);
      const p90 = percentile(tokens, 0.9);
      const change = (now: number, then: number) => `${now >= then ? "+" : ""}${Math.round(((now - then) / then) * 100)}%`;
      const userMedian = percentile(requests.map((request) => Math.round((request.messages[0]?.content.length ?? 0) / 4)).sort((a, b) => a - b), 0.5);
      console.log(
        `  before (${baselines.commit}) → now: median ${baseline.median} → ${median} (${change(median, baseline.median)}), p90 ${baseline.p90} → ${p90} (${change(p90, baseline.p90)}); ` +
          `system block ${baseline.system} → ${systemTokens} (cached after the first call), user message median now ~${userMedian} (before ~${baseline.median - baseline.system}); prompts with type declarations ${baseline.withTypes} → ${withTypes}`,
      );
    }
    const before = claude.requests.length;
    await run();
    console.log(`  warm re-run: ${claude.requests.length - before} LLM calls`);
  } finally {
    await rm(project, { recursive: true, force: true });
    await rm(cacheDir, { recursive: true, force: true });
  }
}

try {
  for (const fixture of projects) await measure(fixture);
} finally {
  await claude.close();
}
