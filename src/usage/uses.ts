/** How the project uses an imported symbol; which way values flow follows from it. */
export type UseKind = "call" | "read" | "construct" | "implement" | "extend" | "type";

const word = (name: string) => name.replace(/\$/g, "\\$");

/**
 * The ways a source text uses `name`, reached directly or as a member of one of `bindings`
 * (`axios.get(…)` is a call of "get"). Regular expressions, like the import scan: tolerant and fast.
 */
export function useKinds(source: string, name: string, bindings: string[]): UseKind[] {
  const via = bindings.length > 0 ? `(?:(?:${bindings.map(word).join("|")})\\??\\.)?` : "";
  const target = `(?<![\\w$])${via}${word(name)}(?![\\w$])`;
  const kinds = new Set<UseKind>();
  const patterns: [UseKind, RegExp][] = [
    ["construct", new RegExp(`\\bnew\\s+${target}`)],
    ["implement", new RegExp(`\\bimplements\\s+[^{]*?${target}`)],
    ["extend", new RegExp(`\\bextends\\s+${target}`)],
    ["call", new RegExp(`(?<!\\bnew\\s+)(?<!function\\s+)${target}\\s*(?:<[^<>()]*>)?\\(`)],
    ["type", new RegExp(`(?:[:<,|&]|\\bas|\\bsatisfies)\\s*${target}(?!\\s*\\()`)],
  ];
  for (const [kind, pattern] of patterns) if (pattern.test(source)) kinds.add(kind);
  if (kinds.size === 0 && new RegExp(target).test(source)) kinds.add("read");
  return [...kinds];
}
