import type { BumpReview } from "../review-types.js";
import type { Signal, SuggestedEdit } from "../types.js";
import { countedSeverity } from "../analysis/verdict.js";

export type ApplyMode = "safe" | "all";

/**
 * Which bumps go on the branch. `all`: every direct bump. `safe`: safe, risky and unknown bumps, and a
 * breaking one only when Claude suggested edits that all passed verification (none dropped); an exact
 * pin in package.json is the project's own decision and stays.
 * A breaking bump's edits must address every finding that counts at breaking (see `addresses`).
 * Transitive bumps are not pinned: package.json does not declare them.
 */
export function chooseBumps(bumps: BumpReview[], mode: ApplyMode): { chosen: BumpReview[]; skipped: { name: string; reason: string }[] } {
  const chosen: BumpReview[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const bump of bumps) {
    if (!bump.direct) {
      skipped.push({ name: bump.name, reason: "transitive: not declared in package.json" });
      continue;
    }
    const pin = bump.declared?.find((declaration) => declaration.exactPin && declaration.leavesRange);
    if (mode === "safe" && pin) {
      skipped.push({ name: bump.name, reason: `${pin.importer === "." ? "package.json" : `${pin.importer}/package.json`} pins it at exactly ${pin.range}; the pin stays (use --apply all to lift it)` });
      continue;
    }
    if (mode === "all" || bump.verdict.verdict !== "breaking") {
      chosen.push(bump);
      continue;
    }
    const dropped = bump.llm && "dropped" in bump.llm ? bump.llm.dropped.filter((note) => note.startsWith("edit ")) : [];
    // Only findings that count at breaking must be addressed: a type-shape reading the compiler did not
    // confirm (inferred) does not block an edit that fixes the proven break.
    const unaddressed = bump.signals.filter((signal) => countedSeverity(signal) === "breaking" && !bump.edits.some((edit) => addresses(edit, signal)));
    if (bump.edits.length > 0 && dropped.length === 0 && unaddressed.length === 0) chosen.push(bump);
    else if (bump.edits.length > 0 && unaddressed.length > 0) skipped.push({ name: bump.name, reason: `breaking, and no validated edit addresses ${unaddressed[0]?.rule}${unaddressed.length > 1 ? ` and ${unaddressed.length - 1} more finding(s)` : ""} (use --apply all to take it anyway)` });
    else skipped.push({ name: bump.name, reason: "breaking, and no validated edits to adapt the code (use --apply all to take it anyway)" });
  }
  return { chosen, skipped };
}

/**
 * An edit counts for a breaking finding when it names the finding (its rule or a symbol it names) and
 * changes code — in one of the finding's use sites, when the finding points at any. A comment is not a fix.
 */
export function addresses(edit: SuggestedEdit, signal: Signal): boolean {
  const files = signal.touches?.map((site) => site.file);
  if (files && !files.includes(edit.file)) return false;
  const names = [signal.rule, ...(signal.symbols ?? [])].filter((name) => name.length > 1);
  if (!names.some((name) => edit.reason.includes(name))) return false;
  return withoutComments(edit.search) !== withoutComments(edit.replace);
}

function withoutComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1").replace(/^\s*#.*$/gm, "").replace(/\s+/g, " ").trim();
}
