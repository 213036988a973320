/**
 * The `<script>` blocks of a .vue or .svelte file as one script, with every other character blanked
 * and newlines kept, so the parser's line numbers are the file's. Also whether any block is TypeScript.
 */
export function scriptBlocks(source: string): { script: string; typescript: boolean } {
  const blanked: string[] = [];
  let typescript = false;
  let last = 0;
  for (const match of source.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const attributes = match[1] ?? "";
    const body = match[2] ?? "";
    if (/\blang\s*=\s*["']?(?:ts|tsx|typescript)\b/i.test(attributes)) typescript = true;
    const bodyStart = (match.index ?? 0) + match[0].indexOf(">") + 1;
    blanked.push(newlinesOnly(source.slice(last, bodyStart)), body);
    last = bodyStart + body.length;
  }
  blanked.push(newlinesOnly(source.slice(last)));
  return { script: blanked.join(""), typescript };
}

function newlinesOnly(text: string): string {
  return text.replace(/[^\n]/g, "");
}
