// Text from packages and registries is untrusted: in a PR body it must not ping people, cross-link
// issues, inject HTML or load remote images. Everything is rendered as inert text.

const markdownSpecials = /[\\`*_{}[\]()#+!|~]/g;

/**
 * Every line ending (CRLF, a lone CR, NEL, U+2028/2029) becomes "\n", and control characters other
 * than newline and tab (ESC and BEL among them: terminal escapes in Claude's text or a changelog) are
 * dropped. A lone CR would otherwise end a code span or a table row in some renderers and not others.
 */
export function plainText(text: string): string {
  return text.replace(/\r\n?|[\u0085\u2028\u2029]/g, "\n").replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "");
}

// name@version (also @scope/name@version): shown as a code span, not broken with a zero-width space.
const packageAtVersion = /(?:@[\w.-]+\/)?[\w.-]*[A-Za-z][\w.-]*@\d[\w.+-]*\b/g;

/** Escapes untrusted text for use inside a Markdown paragraph or table cell; `name@version` becomes a code span. */
export function escapeMarkdown(text: string): string {
  const flat = plainText(text);
  let out = "";
  let last = 0;
  for (const match of flat.matchAll(packageAtVersion)) {
    out += escapeProse(flat.slice(last, match.index)) + inlineCode(match[0]);
    last = match.index + match[0].length;
  }
  return out + escapeProse(flat.slice(last));
}

function escapeProse(text: string): string {
  return text
    .replace(/\n/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(markdownSpecials, (char) => `\\${char}`)
    .replace(/@(?=[\w-])/g, "@\u200b")
    .replace(/#(?=\d)/g, "#\u200b")
    .replace(/\b(https?):\/\//g, "$1\u200b://");
}

/** Untrusted text inside an inline code span: backticks cannot close it early. */
export function inlineCode(text: string): string {
  const flat = plainText(text).replace(/\n/g, " ");
  const longestRun = Math.max(0, ...[...flat.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = "`".repeat(longestRun + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Untrusted text inside raw HTML (a <summary>): no tags, no mentions. */
export function escapeHtml(text: string): string {
  return plainText(text)
    .replace(/\n/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/@/g, "&#64;");
}

/** Untrusted multi-line text as a fenced block: rendered literally, no fence inside can close it. */
export function fencedText(text: string): string {
  const plain = plainText(text);
  const longestRun = Math.max(0, ...[...plain.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return `${fence}text\n${plain}\n${fence}`;
}
