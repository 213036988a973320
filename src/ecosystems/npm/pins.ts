import type { Manifest } from "./lockfile/types.js";

const pinnedFields = ["dependencies", "devDependencies", "optionalDependencies"] as const;

/**
 * package.json text with each named dependency pinned to its exact target version, in every field
 * that declares it. Formatting (indent, trailing newline) is kept; other specs (workspace:, git, file:,
 * npm: aliases) are left alone. Returns undefined when nothing changes.
 */
export function pinDependencies(text: string, targets: Map<string, string>): string | undefined {
  const manifest = JSON.parse(text) as Manifest & Record<string, unknown>;
  let changed = false;
  for (const field of pinnedFields) {
    const dependencies = manifest[field];
    if (!dependencies) continue;
    for (const [name, spec] of Object.entries(dependencies)) {
      const target = targets.get(name);
      if (!target || spec === target || /^(workspace:|file:|link:|git|github:|npm:|https?:)/.test(spec)) continue;
      dependencies[name] = target;
      changed = true;
    }
  }
  if (!changed) return undefined;
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? "  ";
  return `${JSON.stringify(manifest, null, indent)}${text.endsWith("\n") ? "\n" : ""}`;
}
