import { loadPrompts } from "../analysis/llm/prompts.js";
import { InputError } from "../errors.js";
import type { JsonCache } from "../registry/cache.js";
import type { LlmDependencies } from "../review/bump.js";

export interface LlmFlags {
  llm: "auto" | "anthropic" | "off";
  model: string;
  maxCost?: number;
  llmTimeout: number;
  batch: boolean;
}

/** The Claude reviewer for a run, or why there is none. Key from ANTHROPIC_API_KEY; ANTHROPIC_BASE_URL honoured. */
export async function llmSetup(
  flags: LlmFlags,
  setup: { env: NodeJS.ProcessEnv; cache: JsonCache },
): Promise<{ llm: LlmDependencies } | { offReason: string }> {
  if (flags.llm === "off") return { offReason: "The LLM was not used (--llm off): verdicts come from deterministic analysis only." };
  const apiKey = setup.env.ANTHROPIC_API_KEY;
  if (!apiKey) {
    if (flags.llm === "anthropic") throw new InputError("--llm anthropic needs ANTHROPIC_API_KEY in the environment");
    return { offReason: "No ANTHROPIC_API_KEY: the LLM was not used; verdicts come from deterministic analysis only." };
  }
  const baseUrl = setup.env.ANTHROPIC_BASE_URL;
  if (baseUrl !== undefined && !isHttpUrl(baseUrl)) {
    throw new InputError(`ANTHROPIC_BASE_URL is not an http(s) URL (${JSON.stringify(baseUrl.slice(0, 60))}): fix it or unset it`);
  }
  // The SDK loads only when Claude will be asked.
  const { default: Anthropic } = await import("@anthropic-ai/sdk");
  const { createLlmReviewer } = await import("../analysis/llm/reviewer.js");
  const client = new Anthropic({
    apiKey,
    ...(setup.env.ANTHROPIC_BASE_URL ? { baseURL: setup.env.ANTHROPIC_BASE_URL } : {}),
    maxRetries: 3,
    timeout: flags.llmTimeout * 1000,
  });
  const reviewer = createLlmReviewer({
    client,
    model: flags.model,
    prompts: await loadPrompts(),
    cache: setup.cache,
    ...(flags.maxCost !== undefined ? { maxCostUsd: flags.maxCost } : {}),
  });
  return { llm: { reviewer, batch: flags.batch, ...(baseUrl ? { endpoint: baseUrl } : {}) } };
}

// Parsed, not matched: "http://[::1" or a port past 65535 starts like a URL and fails only in the SDK,
// where it reads as a bad reply from Claude.
function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "" && !/\s/.test(value);
  } catch {
    return false;
  }
}
