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

/** Escapes untrusted text for use inside a Markdown paragraph or table cell; `name@version` becomes a code span. */
export function escapeMarkdown(text: string): string {
  const flat = plainText(text);
  let out = "";
  let last = 0;
  for (const [start, end] of packagesAtVersions(flat)) {
    out += escapeProse(flat.slice(last, start)) + inlineCode(flat.slice(start, end));
    last = end;
  }
  return out + escapeProse(flat.slice(last));
}

const nameChar = /[\w.-]/;

/**
 * Where `name@version` (also `@scope/name@version`) stands in the text, shown as a code span rather than
 * broken with a zero-width space. Found from each "@digit" leftwards, in one pass: a regular expression
 * that guesses the name's start backtracks cubically on a long word (a changelog of "sss…").
 */
function packagesAtVersions(text: string): [number, number][] {
  const found: [number, number][] = [];
  let floor = 0;
  for (const match of text.matchAll(/@\d[\w.+-]*\b/g)) {
    let start = match.index;
    while (start > floor && nameChar.test(text[start - 1]!)) start--;
    const name = text.slice(start, match.index);
    if (!/[A-Za-z]/.test(name)) continue;
    // A scope: "@scope/" right before the name.
    const scope = /@[\w.-]+\/$/.exec(text.slice(Math.max(floor, start - 215), start));
    if (scope) start -= scope[0].length;
    const end = match.index + match[0].length;
    found.push([start, end]);
    floor = end;
  }
  return found;
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

/**
 * Untrusted release notes as sanitised Markdown for a PR body: headings (demoted under the report's
 * own), lists, quotes, paragraphs and code kept; an `[text](https://…)` link kept with its text escaped;
 * images dropped to their alt text; raw HTML, @mentions, issue cross-links and bare URLs made inert, as
 * in every other untrusted text. A code block of the notes is re-fenced so it always closes.
 */
export function notesMarkdown(text: string): string {
  const out: string[] = [];
  let code: string[] | undefined;
  let fence = "";
  for (const line of plainText(text).split("\n")) {
    const opening = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (code) {
      if (opening && opening[1]!.startsWith(fence)) {
        out.push(fencedText(code.join("\n")).replace(/^(`+)text\n/, "$1\n"));
        code = undefined;
      } else code.push(line);
      continue;
    }
    if (opening) {
      code = [];
      fence = opening[1]!;
      continue;
    }
    out.push(notesLine(line));
  }
  if (code) out.push(fencedText(code.join("\n")).replace(/^(`+)text\n/, "$1\n"));
  return out.join("\n");
}

// One line outside code: its block marker (heading, list item, quote) kept, its text escaped inline.
function notesLine(line: string): string {
  const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) return `${"#".repeat(Math.min(6, heading[1]!.length + 3))} ${notesInline(heading[2]!)}`;
  const marker = /^(\s*)([-*+]|\d{1,9}[.)]|>)(\s+)(.*)$/.exec(line);
  if (marker) return `${marker[1]!.slice(0, 8)}${marker[2] === ">" ? ">" : marker[2]!.replace(")", ".")}${marker[3]!.slice(0, 4)}${notesInline(marker[4]!)}`;
  // Indentation would make an indented code block of escaped text: prose keeps none.
  return notesInline(line.trimStart());
}

const inlinePieces = /(!?)\[([^\]\n]{0,300})\]\(([^)\s]{0,2000})\)|(`+)([^`\n]+?)\4(?!`)/g;

function notesInline(text: string): string {
  let out = "";
  let last = 0;
  for (const match of text.matchAll(inlinePieces)) {
    out += escapeMarkdown(text.slice(last, match.index));
    last = match.index + match[0].length;
    const [, bang, label, url, , codeText] = match;
    if (codeText !== undefined) out += inlineCode(codeText);
    else if (!bang && isHttpsUrl(url!)) out += `[${escapeMarkdown(label!) || escapeMarkdown(url!)}](${url})`;
    else out += escapeMarkdown(label!);
  }
  return out + escapeMarkdown(text.slice(last));
}

// A link target kept in a PR body: https only, nothing that could end the destination or add a title.
function isHttpsUrl(url: string): boolean {
  if (!/^https:\/\/[^\s<>"'`()\\]+$/.test(url)) return false;
  try {
    return new URL(url).protocol === "https:";
  } catch {
    return false;
  }
}
