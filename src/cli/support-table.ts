import { ecosystems } from "../ecosystems/index.js";

const mark = (supported: boolean) => (supported ? "yes" : "not yet");

/**
 * The README's support table, made from what each registered plugin declares (ManagerSupport), so
 * it cannot go stale: `npx tsx scripts/support-table.ts` writes it, and a test checks the README holds it.
 */
export function supportTable(): string {
  const rows = Object.values(ecosystems).flatMap((entry) =>
    entry.managers.map((support) => `| ${entry.ecosystem} | ${support.label} | \`${support.lockfile}\` | yes | ${mark(support.branch)} | ${mark(support.verify)} |`),
  );
  return ["| ecosystem | package manager | lockfile | review | upgrade branch (`--branch`, `--pr`) | `--verify` |", "|---|---|---|---|---|---|", ...rows].join("\n");
}
