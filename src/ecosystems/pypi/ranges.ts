import pep440 from "@renovatebot/pep440";

/** "keep-operator": `~=1.2` → `~=1.4`, `>=1.2,<2` → `>=1.4,<2`; "exact": every requirement becomes `==V` (Poetry: `V`). */
export type PinStyle = "keep-operator" | "exact";

// The target's release numbers cut (or padded with zeros) to the length the project wrote: `~=1.2` and 1.4.3 → "1.4".
function sameLength(target: string, written: string): string {
  const release = pep440.explain(target)?.release ?? [];
  const length = Math.max(1, written.split(".").length);
  return Array.from({ length }, (_, index) => release[index] ?? 0).join(".");
}

// An upper bound the target passes: `<0.28` and 0.28.1 → `<0.29` (the bound's length, its last part raised).
function raisedCeiling(target: string, written: string): string {
  const parts = sameLength(target, written).split(".").map(Number);
  parts[parts.length - 1] = (parts.at(-1) ?? 0) + 1;
  return parts.join(".");
}

const allows = (specifier: string, version: string) => specifier.trim() === "" || (pep440.validRange(specifier) ? pep440.satisfies(version, specifier, { prereleases: true }) : false);

/**
 * A PEP 440 specifier moved to `target` with its operators kept, as Renovate's `bump` does: `==1.2.3`
 * → `==1.4.3` (an exact pin stays exact), `~=1.2` → `~=1.4`, `>=1.2,<2` → `>=1.4,<2`, `==1.2.*` →
 * `==1.4.*`; an upper bound the target passes is raised at its own length (`<0.28` → `<0.29`).
 * Spacing is kept. No specifier stays none; one that still excludes the target becomes `==target`.
 */
export function bumpSpecifier(specifier: string, target: string): string {
  if (specifier.trim() === "") return specifier;
  const moved = specifier.replace(/(===|==|~=|>=|<=|!=|>|<)(\s*)([A-Za-z0-9.*+!_-]+)/g, (whole, operator: string, space: string, version: string) => {
    const write = (value: string) => `${operator}${space}${value}`;
    switch (operator) {
      case "===":
        return write(target);
      case "==":
        return version.endsWith(".*") ? write(`${sameLength(target, version.slice(0, -2))}.*`) : write(target);
      case "~=":
        return write(sameLength(target, version.split(".").length < 2 ? `${version}.0` : version));
      case ">=":
        return write(sameLength(target, version));
      case "<":
        return allows(whole, target) ? whole : write(raisedCeiling(target, version));
      case "<=":
        return allows(whole, target) ? whole : write(target);
      default:
        return whole;
    }
  });
  return allows(moved, target) ? moved : `==${target}`;
}

/**
 * A Poetry constraint moved the same way: `^1.2` → `^1.4`, `~1.2.3` → `~1.2.9`, an exact `1.2.3` stays
 * exact, `1.2.*` → `1.4.*`, `*` stays; PEP 440 operators as in bumpSpecifier. One that still excludes
 * the target becomes the exact target.
 */
export function bumpPoetryConstraint(constraint: string, target: string): string {
  const trimmed = constraint.trim();
  if (trimmed === "*" || trimmed === "") return constraint;
  const caret = /^(\^|~(?!=))\s*(\d+(?:\.\d+)*)$/.exec(trimmed);
  if (caret) return `${caret[1]}${sameLength(target, caret[2] ?? "")}`;
  if (/^\d+(?:\.\d+)*\.\*$/.test(trimmed)) return `${sameLength(target, trimmed.slice(0, -2))}.*`;
  if (pep440.valid(trimmed)) return target;
  const moved = bumpSpecifier(trimmed, target);
  return moved.startsWith("==") && !trimmed.includes("==") ? target : moved;
}
