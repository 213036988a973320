// Release notes as GitHub writes them spend much of their length on who and where: contributor lists,
// avatars, "New Contributors", links to every pull request and commit. Claude is sent what changed;
// quotes are verified against exactly this condensed text.

const contributorSection = /^#{1,6}\s*(new contributors|contributors|thanks|thank you)\b.*$/i;
const heading = /^#{1,6}\s/;
const noiseLine = /^\s*(?:[-*+]\s*)?(?:@[\w-]+ made their first contribution\b|\*\*full changelog\*\*:|full changelog:|<img\b[^>]*avatars)/i;

/** The notes without contributor sections and lines, and with link markup reduced to its text. */
export function condenseNotes(body: string): string {
  const kept: string[] = [];
  let skipping = false;
  for (const line of body.split("\n")) {
    if (contributorSection.test(line.trim())) {
      skipping = true;
      continue;
    }
    if (skipping && heading.test(line.trim())) skipping = false;
    if (skipping || noiseLine.test(line)) continue;
    kept.push(plainLinks(line));
  }
  return kept.join("\n").replace(/\n{3,}/g, "\n\n").trim();
}

/**
 * Markdown links as their text, and the who-and-where tails GitHub appends to each entry dropped:
 * `([#123](url))`, `([abc1234](url))`, ` by @user in https://…/pull/123`. Applied to the notes sent and
 * to a quote before it is checked, so a quote of either form verifies, and nothing else does.
 */
export function plainLinks(text: string): string {
  return text
    .replace(/\s*\(\[[0-9a-f]{7,40}\]\([^)]*\)\)/gi, "")
    .replace(/\[([^\]]*)\]\((?:https?:\/\/|#)[^)]*\)/g, "$1")
    .replace(/\s+by @[\w-]+(?:,? (?:and )?@[\w-]+)* in https?:\/\/\S+/g, "")
    .replace(/\s+in https?:\/\/github\.com\/\S+\/pull\/\d+/g, "");
}

/** The lines of a version's notes around the flagged ones: what is sent when the whole version does not fit. */
export function flaggedExcerpt(body: string, quotes: string[], context = 2): string {
  const lines = body.split("\n");
  const wanted = new Set<number>();
  lines.forEach((line, index) => {
    if (!quotes.some((quote) => line.includes(quote) || (line.trim().length > 0 && quote.includes(line.trim())))) return;
    for (let near = Math.max(0, index - context); near <= Math.min(lines.length - 1, index + context); near += 1) wanted.add(near);
  });
  const parts: string[] = [];
  let last = -2;
  for (const index of [...wanted].sort((a, b) => a - b)) {
    if (index !== last + 1) parts.push("[…]");
    parts.push(lines[index] ?? "");
    last = index;
  }
  if (last < lines.length - 1) parts.push("[…]");
  return parts.join("\n");
}
