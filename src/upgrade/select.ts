import type { BumpReview } from "../review/types.js";

export type ApplyMode = "safe" | "all";

/**
 * Which bumps go on the branch. `all`: every direct bump. `safe`: safe, risky and unknown bumps, and a
 * breaking one only when Claude suggested edits that all passed verification (none dropped); an exact
 * pin in package.json is the project's own decision and stays.
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
    if (bump.edits.length > 0 && dropped.length === 0) chosen.push(bump);
    else skipped.push({ name: bump.name, reason: "breaking, and no validated edits to adapt the code (use --apply all to take it anyway)" });
  }
  return { chosen, skipped };
}
