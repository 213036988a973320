import semver from "semver";
import type { Manifest } from "./lockfile/types.js";

const pinnedFields = ["dependencies", "devDependencies", "optionalDependencies"] as const;

/** "keep-operator": `^4.18.2` → `^4.22.3`, an exact version stays exact; "exact": every spec becomes the target. */
export type PinStyle = "keep-operator" | "exact";

/**
 * package.json text with each named dependency moved to its target version, in every field that
 * declares it. Formatting (indent, trailing newline) is kept; other specs (workspace:, git, file:,
 * npm: aliases) are left alone. Returns undefined when nothing changes.
 */
export function pinDependencies(text: string, targets: Map<string, string>, style: PinStyle = "keep-operator"): string | undefined {
  const manifest = JSON.parse(text) as Manifest & Record<string, unknown>;
  let changed = false;
  for (const field of pinnedFields) {
    const dependencies = manifest[field];
    if (!dependencies) continue;
    for (const [name, spec] of Object.entries(dependencies)) {
      const target = targets.get(name);
      if (!target || /^(workspace:|file:|link:|git|github:|npm:|https?:)/.test(spec)) continue;
      const moved = style === "exact" ? target : bumpRange(spec, target);
      if (moved === spec) continue;
      dependencies[name] = moved;
      changed = true;
    }
  }
  if (!changed) return undefined;
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? "  ";
  return `${JSON.stringify(manifest, null, indent)}${text.endsWith("\n") ? "\n" : ""}`;
}

/**
 * A declared range moved to `target` with its operator kept, as `ncu -u` and Renovate's `bump` do:
 * `^4.18.2` → `^4.22.3`, `~1.2.3` → `~1.2.9`, `>=1.0.0` → `>=1.4.0`, `1.2.x` → `1.4.x`; an exact
 * `1.2.3` or `=1.2.3` stays exact. A short version keeps its length where a full one would narrow the
 * range (`~1` stays `~1`, not `~1.4.0`, which allows only 1.4.x). Any other range (`*`, `>=1 <3`,
 * `a || b`) is kept when it allows the target, else it becomes the exact target.
 */
export function bumpRange(spec: string, target: string): string {
  const simple = /^\s*(\^|~|>=|=|v)?\s*v?(\d+(?:\.\d+){0,2})((?:\.[xX*])*)\s*$/.exec(spec);
  const parsed = semver.parse(target);
  if (!simple || !parsed) return semver.validRange(spec) !== null && semver.satisfies(target, spec) ? spec : target;
  const operator = simple[1] === "v" ? "" : (simple[1] ?? "");
  const parts = (simple[2] ?? "").split(".").length;
  const wildcards = simple[3] ?? "";
  const short = `${[parsed.major, parsed.minor, parsed.patch].slice(0, parts).join(".")}${wildcards}`;
  if (operator === "" || operator === "=") return parts === 3 ? `${operator}${target}` : `${operator}${short}`;
  if (wildcards) return `${operator}${short}`;
  const full = `${operator}${target}`;
  return ceiling(full) === ceiling(`${operator}${short}`) ? full : `${operator}${short}`;
}

// The upper comparator of a one-set range ("<5.0.0-0"), or "" when it has none (>=).
function ceiling(range: string): string {
  const [set] = new semver.Range(range).set;
  return set?.find((comparator) => comparator.operator.startsWith("<"))?.value ?? "";
}
