import type { PackageUsage } from "../../../usage/types.js";

/**
 * The export names the project's code uses, as the API surface names them: named imports, and at each
 * use site the whole member chain ("optimize.SplitChunksPlugin" for `webpack.optimize.SplitChunksPlugin`,
 * narrowed to the longest name the surface has). Undefined when what is used cannot be told: usage over
 * its caps, or a whole module passed around as a value (`register(plugins)`), so every export counts.
 */
export function usedExports(usage: PackageUsage): string[] | undefined {
  if (usage.truncated) return undefined;
  const used = new Set<string>();
  const reachedByMember = new Set<string>();
  for (const site of usage.sites) {
    if (site.derived) continue;
    if (site.symbol === "*" || (site.symbol === "default" && site.kind === "read" && site.member === undefined)) return undefined;
    const chain = site.chain ?? (site.member ? [site.member] : []);
    if (chain.length > 0) reachedByMember.add(site.symbol);
    used.add([site.symbol, ...chain].join("."));
  }
  for (const file of usage.files) {
    for (const site of file.imports) {
      for (const name of site.names) if (name !== "*" && !reachedByMember.has(name)) used.add(name);
    }
  }
  // A default import of a CommonJS module is its `export =` value.
  if ([...used].some((name) => name === "default" || name.startsWith("default."))) used.add("export=");
  return [...used].sort();
}
