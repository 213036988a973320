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
