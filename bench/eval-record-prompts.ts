// Records what Claude is sent for each bump of the labelled npm apps (fixtures/eval/apps/), so a careful
// reviewer can write the stored replies of fixtures/anthropic/eval/ from exactly those prompts: each app
// through the CLI with `--llm anthropic` at a local Messages API that answers "unknown" to everything.
// Writes DIR/<app>/<package>@<from>..<to>.md (the user message), DIR/system.md, and DIR/<app>/verdicts.tsv
// (the verdicts without the model: an "unknown" reply with no changes changes none).
// Usage: npx tsx bench/eval-record-prompts.ts DIR [app …]
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { appSets, reviewApp } from "./eval-apps.js";
import { bumpOfPrompt, forgetCachedReplies, startStoredReplies } from "./eval-llm.js";

const [outDir, ...only] = process.argv.slice(2);
if (!outDir) throw new Error("usage: npx tsx bench/eval-record-prompts.ts DIR [app …]");
const appsDir = appSets[0]!.dir;
const cacheDir = path.join(os.tmpdir(), "bumpwise-eval-apps-cache");
const apps = only.length > 0 ? only : ["legacy-api", "react-shop", "ops-cli", "dispatch-hub", "bundle-forge"];
const claude = await startStoredReplies({ stored: false });
try {
  await forgetCachedReplies(cacheDir);
  for (const app of apps) {
    claude.forApp(app);
    const first = claude.served.length;
    const review = await reviewApp(appsDir, app, cacheDir, [], claude.url);
    await mkdir(path.join(outDir, app), { recursive: true });
    for (const request of claude.served.slice(first)) {
      const bump = bumpOfPrompt(request.prompt);
      if (!bump) continue;
      const file = path.join(outDir, app, `${bump.name}@${bump.from}..${bump.to}.md`);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, request.prompt);
    }
    const rows = review.bumps.map((bump) => [bump.name, bump.from, bump.to, bump.verdict.verdict, bump.verdict.reason].join("\t"));
    await writeFile(path.join(outDir, app, "verdicts.tsv"), `${rows.join("\n")}\n`);
    console.log(`${app}: ${claude.served.length - first} prompts, ${review.bumps.length} bumps`);
  }
  const system = claude.system();
  await writeFile(path.join(outDir, "system.md"), Array.isArray(system) ? system.map((block: { text?: string }) => block.text ?? "").join("\n") : String(system));
} finally {
  await claude.close();
}
