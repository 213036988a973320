// Estimated USD per million tokens for Sonnet-class models (list prices when this was written); the
// Message Batches API costs half. The report calls the figure an estimate.
const sonnetClass = { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 };

export interface TokenUsage {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

export function estimateCostUsd(usage: TokenUsage, batch = false): number {
  const price = sonnetClass;
  const full =
    (usage.input * price.input + usage.output * price.output + usage.cacheWrite * price.cacheWrite + usage.cacheRead * price.cacheRead) / 1_000_000;
  return batch ? full / 2 : full;
}
