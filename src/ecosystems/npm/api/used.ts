import type { PackageUsage } from "../../../usage/types.js";

/**
 * The export names the project's code uses, as the API surface names them: at each use site the whole
 * member chain ("optimize.SplitChunksPlugin" for `webpack.optimize.SplitChunksPlugin`, narrowed to the
 * longest name the surface has), and the names imported that no site reaches a member of. Over every
 * importing file, whatever the usage caps left out of the report. Undefined when what is used cannot be
 * told: a whole module handed on as a value (`register(plugins)`), so every export counts.
 */
export function usedExports(usage: PackageUsage): string[] | undefined {
  if (usage.handedOn || !usage.usedNames || !usage.importedNames) return undefined;
  const used = new Set(usage.usedNames);
  const reachedByMember = new Set(usage.usedNames.filter((name) => name.includes(".")).map((name) => name.split(".")[0]));
  for (const name of usage.importedNames) if (!reachedByMember.has(name)) used.add(name);
  // A default import of a CommonJS module is its `export =` value.
  if ([...used].some((name) => name === "default" || name.startsWith("default."))) used.add("export=");
  return [...used].sort();
}
