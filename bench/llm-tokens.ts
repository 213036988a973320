// Prompt size per bump on the large fixture lockfile (live registry, no GitHub), measured at a local
// Messages API that answers "unknown" to everything, and the calls a warm re-run makes (should be 0).
// Tokens are estimated as characters / 4 (system prompt + user message), the usual rule of thumb for
// English and code; the real count depends on the tokenizer.
import { execFile } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startFakeAnthropic } from "../test/helpers/fake-anthropic.js";

const root = path.resolve(import.meta.dirname, "..");
const fixture = process.argv[2] ?? path.join(root, "fixtures/lockfiles/large-npm");
const project = await mkdtemp(path.join(os.tmpdir(), "bumpwise-bench-llm-"));
const cacheDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-bench-llm-cache-"));
await cp(fixture, project, { recursive: true });
const claude = await startFakeAnthropic();
claude.fallback = () => ({
  json: { verdict: "unknown", confidence: 0, summary: "benchmark", changes: [], affectsYou: { affected: "unknown", reasoning: "" }, edits: [] },
});
const run = () =>
  new Promise<void>((resolve, reject) =>
    execFile(
      process.execPath,
      [path.join(root, "dist/cli/bin.js"), "review", project, "--no-github", "--llm", "anthropic", "--out", project],
      { env: { ...process.env, BUMPWISE_CACHE_DIR: cacheDir, ANTHROPIC_API_KEY: "sk-ant-bench", ANTHROPIC_BASE_URL: claude.url } },
      (error) => (error ? reject(error) : resolve()),
    ),
  );
try {
  await run();
  const tokens = claude.requests
    .map((request) => Math.round((JSON.stringify(request.system).length + (request.messages[0]?.content.length ?? 0)) / 4))
    .sort((a, b) => a - b);
  const median = tokens[Math.floor(tokens.length / 2)] ?? 0;
  console.log(`LLM prompt per bump, ${path.relative(root, fixture)}: ${tokens.length} calls, median ~${median} tokens, max ~${tokens.at(-1) ?? 0} tokens (chars/4)`);
  const before = claude.requests.length;
  await run();
  console.log(`warm re-run: ${claude.requests.length - before} LLM calls`);
} finally {
  await claude.close();
  await rm(project, { recursive: true, force: true });
  await rm(cacheDir, { recursive: true, force: true });
}
