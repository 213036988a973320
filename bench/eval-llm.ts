// The model's side of `npm run eval`: a local Messages API (test/helpers/fake-anthropic.ts) that answers
// each bump's request with the reply stored for it in fixtures/anthropic/eval/<app>/<package>@<from>..<to>.json
// (written by a careful reviewer from the recorded prompts: see that folder's README), matched by the
// prompt's `Package: NAME` and `Upgrade: FROM → TO` lines. A request with no stored reply is answered
// "unknown" with no changes, and counted. Token use is estimated as characters / 4 (system block + user
// message in, reply JSON out), since no real tokenizer is reachable here.
import { existsSync, readFileSync } from "node:fs";
import { open, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { startFakeAnthropic } from "../test/helpers/fake-anthropic.js";
import type { Judged } from "./eval-apps.js";

export const storedRepliesDir = path.resolve(import.meta.dirname, "../fixtures/anthropic/eval");

const unknownReply = { verdict: "unknown", confidence: 0, summary: "no stored reply for this bump", changes: [], affectsYou: { affected: "unknown", reasoning: "" }, edits: [] };

export interface ServedRequest {
  app: string;
  bump: string;
  stored: boolean;
  prompt: string;
  tokens: { input: number; output: number };
}

/** `Package: NAME (…)` and `Upgrade: FROM → TO (…)` of a bump prompt (prompts/bump.md). */
export function bumpOfPrompt(prompt: string): { name: string; from: string; to: string } | undefined {
  const name = /^Package: (\S+) \(/m.exec(prompt)?.[1];
  const upgrade = /^Upgrade: (\S+) → (\S+) \(/m.exec(prompt);
  return name && upgrade ? { name, from: upgrade[1]!, to: upgrade[2]! } : undefined;
}

export const replyFile = (app: string, bump: { name: string; from: string; to: string }) => path.join(storedRepliesDir, app, `${bump.name}@${bump.from}..${bump.to}.json`);

/** A local Messages API serving the stored replies of one app at a time (`forApp`), recording each request. */
export async function startStoredReplies(options: { stored: boolean } = { stored: true }) {
  const fake = await startFakeAnthropic();
  const served: ServedRequest[] = [];
  let app = "";
  fake.fallback = (body) => {
    const prompt = body.messages[0]?.content ?? "";
    const bump = bumpOfPrompt(prompt);
    const file = bump && options.stored ? replyFile(app, bump) : undefined;
    const stored = file !== undefined && existsSync(file);
    const json: unknown = stored ? JSON.parse(readFileSync(file, "utf8")) : unknownReply;
    const tokens = { input: Math.round((JSON.stringify(body.system).length + prompt.length) / 4), output: Math.round(JSON.stringify(json).length / 4) };
    served.push({ app, bump: bump ? `${bump.name} ${bump.from} → ${bump.to}` : "(no Package/Upgrade lines)", stored, prompt, tokens });
    return { json, usage: tokens };
  };
  return {
    url: fake.url,
    served,
    system: () => fake.requests[0]?.system,
    forApp: (name: string) => (app = name),
    close: () => fake.close(),
  };
}

export type StoredReplies = Awaited<ReturnType<typeof startStoredReplies>>;

/** Drops Claude's cached replies from a cache directory (src/registry/cache.ts layout) so every bump asks the fake again. */
export async function forgetCachedReplies(cacheDir: string): Promise<number> {
  const store = path.join(cacheDir, "json");
  let removed = 0;
  for (const folder of await readdir(store).catch(() => [] as string[])) {
    for (const file of await readdir(path.join(store, folder)).catch(() => [] as string[])) {
      const full = path.join(store, folder, file);
      const handle = await open(full, "r").catch(() => undefined);
      if (!handle) continue;
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(16), 0, 16, 0);
      await handle.close();
      if (buffer.subarray(0, bytesRead).toString("utf8").startsWith('{"key":"llm:')) {
        await rm(full, { force: true });
        removed++;
      }
    }
  }
  return removed;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

// Where each label points on the verdict scale; "unknown" sits one step from every verdict.
const target = { "breaks-this-project": "breaking", "breaks-others": "risky", minor: "safe", "false-alarm": "safe" } as const;
const rank: Record<string, number> = { safe: 0, risky: 1, breaking: 2 };
function distance(verdict: string, label: Judged["label"]): number | undefined {
  if (label === "unjudged") return undefined;
  const want = rank[target[label]]!;
  const have = rank[verdict];
  return have === undefined ? 1 : Math.abs(have - want);
}

const ratio = (hit: number, total: number) => (total === 0 ? "n/a (0/0)" : `${(hit / total).toFixed(2)} (${hit}/${total})`);

function scores(judged: Judged[]) {
  const scored = judged.filter((item) => item.label !== "unjudged");
  const breaking = scored.filter((item) => item.verdict === "breaking");
  const risky = scored.filter((item) => item.verdict === "risky");
  const projectBreaks = scored.filter((item) => item.label === "breaks-this-project");
  return {
    breaking: ratio(breaking.filter((item) => item.label === "breaks-this-project").length, breaking.length),
    risky: ratio(risky.filter((item) => item.label === "breaks-this-project" || item.label === "breaks-others").length, risky.length),
    recall: ratio(projectBreaks.filter((item) => item.verdict === "breaking").length, projectBreaks.length),
  };
}

/** Without vs with the model on the same bumps: the scores, each verdict the model changed and which way, quotes kept, tokens per bump. */
export function printModelEffect(without: Judged[], withModel: Judged[], served: ServedRequest[]): void {
  const key = (item: Judged) => `${item.app} ${item.package} ${item.from} ${item.to}`;
  const before = new Map(without.map((item) => [key(item), item]));
  const a = scores(without);
  const b = scores(withModel);
  console.log("\nnpm apps, without → with the model:");
  console.log(`  breaking precision:   ${a.breaking} → ${b.breaking}`);
  console.log(`  risky precision:      ${a.risky} → ${b.risky}`);
  console.log(`  project-break recall: ${a.recall} → ${b.recall}`);
  const changed = withModel.flatMap((item) => {
    const old = before.get(key(item));
    return old && old.verdict !== item.verdict ? [{ item, old }] : [];
  });
  const direction = ({ item, old }: (typeof changed)[number]) => {
    const from = distance(old.verdict, item.label);
    const to = distance(item.verdict, item.label);
    return from === undefined || to === undefined || from === to ? "neutral" : to < from ? "toward" : "away";
  };
  const count = (way: string) => changed.filter((change) => direction(change) === way).length;
  console.log(`  verdicts the model changed: ${changed.length} (toward the label ${count("toward")}, away ${count("away")}, neutral ${count("neutral")}; labels map to breaking / risky / safe, "unknown" is one step from each)`);
  for (const change of changed) console.log(`    ${direction(change)}: ${key(change.item)}: ${change.old.verdict} → ${change.item.verdict} (label ${change.item.label}) — ${change.item.reason}`);
  const stored = served.filter((request) => request.stored).length;
  console.log(`  requests: ${served.length}; answered with a stored reply ${stored}, with "unknown" and no changes (no stored reply) ${served.length - stored}`);
  const kept = withModel.reduce((sum, item) => sum + (item.kept ?? 0), 0);
  const dropped = withModel.flatMap((item) => (item.dropped ?? []).map((line) => `${key(item)}: ${line}`));
  console.log(`  claims kept after quote verification: ${kept}; dropped: ${dropped.length}; rows with a Claude/analyzer disagreement: ${withModel.filter((item) => item.disagreement).length}`);
  for (const line of dropped) console.log(`    ${line}`);
  const perBump = served.map((request) => request.tokens.input + request.tokens.output);
  const storedOnly = served.filter((request) => request.stored).map((request) => request.tokens.input + request.tokens.output);
  console.log(`  tokens per bump (input + output, estimated as characters / 4): median ${percentile(perBump, 0.5)}, p90 ${percentile(perBump, 0.9)} over ${perBump.length} requests; over the ${storedOnly.length} with a stored reply: median ${percentile(storedOnly, 0.5)}, p90 ${percentile(storedOnly, 0.9)}; without the model: 0`);
}
