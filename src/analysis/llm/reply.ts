import { z } from "zod";

/** The structured reply Claude must give, validated at the boundary. */
export const replySchema = z.object({
  verdict: z.enum(["breaking", "risky", "safe", "unknown"]),
  confidence: z.number(),
  summary: z.string(),
  changes: z.array(
    z.object({
      summary: z.string(),
      severity: z.enum(["breaking", "risky", "info"]),
      version: z.string(),
      /** Where the quote is from: the release notes, the type declarations or the package manifests sent. */
      source: z.enum(["notes", "types", "manifest"]),
      evidence: z.string(),
      symbols: z.array(z.string()),
      migration: z.string(),
      /** Whether this change reaches this project's code or declared facts: Claude's judgement, per change. */
      affects: z.enum(["yes", "no", "unknown"]),
      /** Where it reaches: one use site as sent ("src/app.ts:12"), or one project fact line as sent; "" when none. */
      reaches: z.string(),
    }),
  ),
  affectsYou: z.object({ affected: z.enum(["yes", "no", "unknown"]), reasoning: z.string() }),
  edits: z.array(z.object({ file: z.string(), search: z.string(), replace: z.string(), reason: z.string() })),
});

export type LlmReply = z.infer<typeof replySchema>;
