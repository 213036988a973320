import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";

export interface Prompts {
  system: string;
  bump: string;
  /** Part of every cache key: a changed prompt is a new review. */
  hash: string;
}

// prompts/ sits three levels above both src/analysis/llm (tests) and dist/analysis/llm (installed).
const promptsDir = new URL("../../../prompts/", import.meta.url);

export async function loadPrompts(dir: URL = promptsDir): Promise<Prompts> {
  const [system, bump] = await Promise.all([readFile(new URL("system.md", dir), "utf8"), readFile(new URL("bump.md", dir), "utf8")]);
  const hash = createHash("sha256").update(system).update("\0").update(bump).digest("hex").slice(0, 16);
  return { system, bump, hash };
}

/** Fills {{name}} placeholders; values are inserted once, never re-expanded. */
export function render(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}
