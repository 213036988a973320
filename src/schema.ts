import type { z } from "zod";

/** The first schema violation as one line a person can act on: `lockfileVersion: Invalid input`. */
export function describeSchemaError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "unexpected shape";
  const where = issue.path.length > 0 ? issue.path.map(String).join(".") : "top level";
  const more = error.issues.length > 1 ? ` (+${error.issues.length - 1} more)` : "";
  return `${where}: ${issue.message.replace(/\s+/g, " ")}${more}`;
}
