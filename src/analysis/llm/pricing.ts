// Estimated USD per million tokens, by model family: Anthropic's published list prices (the pricing
// page of the Claude documentation) when this was written. Cache writes cost 1.25× input and cache
// reads 0.1×; the Message Batches API costs half. The report calls the figure an estimate and names
// the prices it used.
const families = new Map([
  ["opus", { input: 5, output: 25 }],
  ["sonnet", { input: 3, output: 15 }],
  ["haiku", { input: 1, output: 5 }],
]);

export interface TokenUsage {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

export interface ModelPrice {
  family: string;
  input: number;
  output: number;
}

/** The list price of a model by its family ("claude-opus-…", "claude-haiku-…"); unknown names are priced as Sonnet. */
export function priceOf(model: string): ModelPrice {
  for (const [family, price] of families) if (model.includes(family)) return { family, ...price };
  return { family: "sonnet (assumed)", ...(families.get("sonnet") as { input: number; output: number }) };
}

export function estimateCostUsd(usage: TokenUsage, model: string, batch = false): number {
  const price = priceOf(model);
  const full = (usage.input * price.input + usage.output * price.output + usage.cacheWrite * price.input * 1.25 + usage.cacheRead * price.input * 0.1) / 1_000_000;
  return batch ? full / 2 : full;
}
