import Anthropic from "@anthropic-ai/sdk";
import { zodOutputFormat } from "@anthropic-ai/sdk/helpers/zod";
import { createLimit } from "../../concurrency.js";
import type { JsonCache } from "../../registry/cache.js";
import { type BumpContext, buildPrompt, hash } from "./context.js";

const replySchemaHash = hash(JSON.stringify(zodOutputFormat(replySchema).schema));
import { estimateCostUsd, type TokenUsage } from "./pricing.js";
import type { Prompts } from "./prompts.js";
import { type LlmReply, replySchema } from "./reply.js";
import { type VerifiedReply, verifyReply } from "./verify.js";

export { defaultModel } from "./model.js";

export type LlmOutcome = ({ ok: VerifiedReply; cached: boolean } | { failed: string }) & { usage: TokenUsage };

export interface LlmStats extends TokenUsage {
  calls: number;
  cachedReplies: number;
  costUsd: number;
  /** Set once --max-cost stopped further calls. */
  stoppedAtMaxCost: boolean;
  /** Why Claude is not asked any more this run (unreachable, key refused, not an Anthropic API): said once. */
  closedBecause?: string;
}

export interface LlmReviewer {
  review(context: BumpContext, projectDir: string): Promise<LlmOutcome>;
  /** The uncached bumps through the Message Batches API (half price), polled with backoff; results in input order. */
  reviewBatch(contexts: BumpContext[], projectDir: string): Promise<LlmOutcome[]>;
  readonly stats: LlmStats;
  readonly model: string;
}

interface CachedReply {
  reply: LlmReply;
}

/** Claude reviews one bump; replies are cached by (package, versions, notes, usage, model, prompts). */
export function createLlmReviewer(setup: {
  client: Anthropic;
  model: string;
  prompts: Prompts;
  cache: JsonCache;
  maxCostUsd?: number;
  concurrency?: number;
  /** Batch polling: first wait and ceiling, in milliseconds. */
  batchPoll?: { initialMs: number; maxMs: number };
}): LlmReviewer {
  const stats: LlmStats = { calls: 0, cachedReplies: 0, input: 0, output: 0, cacheWrite: 0, cacheRead: 0, costUsd: 0, stoppedAtMaxCost: false };
  const limit = createLimit(setup.concurrency ?? 4);
  const none: TokenUsage = { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };
  // The stable part of every request — the instructions and the reply's schema — is one cached block:
  // alone the instructions are below the smallest prefix a model caches (1,024 tokens).
  const systemBlock = `${setup.prompts.system}\nThe reply is JSON matching this schema:\n${JSON.stringify(zodOutputFormat(replySchema).schema, null, 1)}\n`;

  function prepare(context: BumpContext) {
    const prompt = buildPrompt(setup.prompts, context);
    // Everything Claude is shown decides the reply: the whole prompt (its random boundary aside), the
    // reply schema, the model and the prompt templates.
    const key = `llm:v2:${hash(JSON.stringify([prompt.stableText, replySchemaHash, setup.model, setup.prompts.hash]))}`;
    const sent = {
      notes: prompt.sentNotes,
      files: prompt.sentFiles,
      urls: new Map(context.notes.flatMap((note) => (note.url ? [[note.version, note.url] as const] : []))),
      types: prompt.sentTypes,
      manifest: prompt.sentManifest,
      // The symbols the code uses, and those whose declarations were sent because the project reaches them.
      ...(context.usage ? { usedSymbols: new Set([...context.usage.uses.keys(), ...(context.typeChanges ?? []).map((change) => change.symbol.split(".")[0] ?? "")]), sites: context.usage.sites.map((site) => ({ file: site.file, line: site.line })) } : {}),
      facts: context.project ?? [],
    };
    return { prompt, key, sent };
  }

  // A cached reply, or why Claude is not asked; undefined when a call is due.
  async function beforeCall(key: string, sent: Parameters<typeof verifyReply>[1], projectDir: string): Promise<LlmOutcome | undefined> {
    const cached = await setup.cache.get<CachedReply>(key);
    if (cached) {
      stats.cachedReplies++;
      return { ok: await verifyReply(cached.reply, sent, projectDir), cached: true, usage: none };
    }
    if (stats.closedBecause) return { failed: `not asked: ${stats.closedBecause}`, usage: none };
    if (setup.maxCostUsd !== undefined && stats.costUsd >= setup.maxCostUsd) {
      stats.stoppedAtMaxCost = true;
      return { failed: `not asked: the estimated cost reached --max-cost ${setup.maxCostUsd}`, usage: none };
    }
    return undefined;
  }

  function count(usage: TokenUsage, batch: boolean) {
    stats.input += usage.input;
    stats.output += usage.output;
    stats.cacheWrite += usage.cacheWrite;
    stats.cacheRead += usage.cacheRead;
    stats.costUsd += estimateCostUsd(usage, setup.model, batch);
  }

  async function accept(reply: unknown, key: string, sent: Parameters<typeof verifyReply>[1], projectDir: string, usage: TokenUsage): Promise<LlmOutcome> {
    const parsed = replySchema.safeParse(reply);
    if (!parsed.success) return { failed: "Claude's reply did not match the expected structure", usage };
    setup.cache.put(key, { reply: parsed.data } satisfies CachedReply);
    return { ok: await verifyReply(parsed.data, sent, projectDir), cached: false, usage };
  }

  function requestParams(prompt: { text: string }) {
    return {
      model: setup.model,
      max_tokens: 4096,
      system: [{ type: "text" as const, text: systemBlock, cache_control: { type: "ephemeral" as const } }],
      messages: [{ role: "user" as const, content: prompt.text }],
    };
  }

  // A failure that will repeat for every bump (nothing listens, the key or the URL is wrong, the
  // endpoint is not the Anthropic API) stops the asking: the run says so once instead of per bump.
  let answered = false;
  let unreadable = 0;
  function closeIfHopeless(error: unknown, failure: string): void {
    const status = error instanceof Anthropic.APIError ? error.status : undefined;
    const connection = error instanceof Anthropic.APIConnectionError && !(error instanceof Anthropic.APIConnectionTimeoutError);
    if (!answered && failure === "Claude's reply was not valid structured output") unreadable++;
    if (connection || status === 401 || status === 403 || status === 404 || unreadable >= 2) {
      stats.closedBecause ??= unreadable >= 2 ? "the endpoint does not answer like the Anthropic API" : failure;
    }
  }

  async function review(context: BumpContext, projectDir: string): Promise<LlmOutcome> {
    const { prompt, key, sent } = prepare(context);
    const early = await beforeCall(key, sent, projectDir);
    if (early) return early;
    return limit(async () => {
      let message: Awaited<ReturnType<typeof setup.client.messages.parse>>;
      if (stats.closedBecause) return { failed: `not asked: ${stats.closedBecause}`, usage: none };
      try {
        stats.calls++;
        message = await setup.client.messages.parse({ ...requestParams(prompt), output_config: { format: zodOutputFormat(replySchema) } });
      } catch (error) {
        const failure = describeFailure(error);
        closeIfHopeless(error, failure);
        return { failed: failure, usage: none };
      }
      answered = true;
      const usage = tokenUsage(message.usage);
      count(usage, false);
      return accept(message.parsed_output, key, sent, projectDir, usage);
    });
  }

  async function reviewBatch(contexts: BumpContext[], projectDir: string): Promise<LlmOutcome[]> {
    const prepared = contexts.map(prepare);
    const outcomes: (LlmOutcome | undefined)[] = await Promise.all(prepared.map(({ key, sent }) => beforeCall(key, sent, projectDir)));
    const due = prepared.flatMap((item, index) => (outcomes[index] ? [] : [{ ...item, index }]));
    if (due.length === 0) return outcomes as LlmOutcome[];
    const { schema } = zodOutputFormat(replySchema);
    const failAll = (message: string) => {
      for (const item of due) outcomes[item.index] = { failed: message, usage: none };
      return outcomes as LlmOutcome[];
    };
    let batchId: string;
    try {
      stats.calls++;
      const batch = await setup.client.messages.batches.create({
        requests: due.map((item) => ({
          custom_id: `bump-${item.index}`,
          params: { ...requestParams(item.prompt), output_config: { format: { type: "json_schema", schema } } },
        })),
      });
      batchId = batch.id;
      let wait = setup.batchPoll?.initialMs ?? 2_000;
      for (let status = batch.processing_status; status !== "ended"; ) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait = Math.min(wait * 2, setup.batchPoll?.maxMs ?? 120_000);
        status = (await setup.client.messages.batches.retrieve(batchId)).processing_status;
      }
    } catch (error) {
      return failAll(describeFailure(error));
    }
    try {
      for await (const entry of await setup.client.messages.batches.results(batchId)) {
        const item = due.find((candidate) => `bump-${candidate.index}` === entry.custom_id);
        if (!item) continue;
        if (entry.result.type !== "succeeded") {
          outcomes[item.index] = { failed: `the batch request ${entry.result.type}`, usage: none };
          continue;
        }
        const message = entry.result.message;
        const usage = tokenUsage(message.usage);
        count(usage, true);
        const text = message.content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("");
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          outcomes[item.index] = { failed: "Claude's reply was not valid structured output", usage };
          continue;
        }
        outcomes[item.index] = await accept(json, item.key, item.sent, projectDir, usage);
      }
    } catch (error) {
      return failAll(describeFailure(error));
    }
    return outcomes.map((outcome) => outcome ?? { failed: "the batch returned no result for this bump", usage: none });
  }

  return { review, reviewBatch, stats, model: setup.model };
}

function tokenUsage(usage: Anthropic.Usage): TokenUsage {
  return {
    input: usage.input_tokens,
    output: usage.output_tokens,
    cacheWrite: usage.cache_creation_input_tokens ?? 0,
    cacheRead: usage.cache_read_input_tokens ?? 0,
  };
}

function describeFailure(error: unknown): string {
  if (error instanceof Anthropic.APIConnectionTimeoutError) return "Claude did not answer in time";
  if (error instanceof Anthropic.APIConnectionError) return "cannot reach the Anthropic API";
  if (error instanceof Anthropic.APIError) {
    const status = error.status;
    if (status === 401) return "the Anthropic API rejected the key (401)";
    if (status === 429) return "Anthropic rate limit reached (429), retries exhausted";
    if (status === 529) return "the Anthropic API is overloaded (529), retries exhausted";
    return `the Anthropic API failed (${status ?? "no status"})`;
  }
  // The SDK throws a plain error when the reply is not valid JSON for the requested format.
  return "Claude's reply was not valid structured output";
}
