import type { Versioning } from "../versioning.js";
import { type Heading, headingVersion } from "./heading-version.js";
import { rstHeadings } from "./rst.js";

export { type Heading, headingVersion };

/** One version's section of a changelog: its heading and the original text under it. */
export interface ChangelogSection {
  version: string;
  heading: string;
  body: string;
}

// Same-level headings that close a version section. Others at the same level are its subsections:
// standard-version writes "### [1.2.4]" for patches and "### Bug Fixes" under it.
const closingHeading = /^\W*(unreleased|upcoming|next\b|older|previous|earlier|archive)/i;

/**
 * How a changelog marks its headings: Markdown (the default), or reStructuredText (titles underlined,
 * or over- and underlined, with any punctuation: Python changelogs, CHANGES.rst).
 */
export type ChangelogFormat = "markdown" | "rst";

/**
 * Splits a changelog into version sections. A section runs from its heading to the next version
 * heading of any level, a higher-level heading, or a same-level "Unreleased"/"Older releases"
 * heading (so "### Patch Changes" stays inside "## 1.2.3"). Order in the file does not matter; the
 * first section of a version wins. Headings without a version (Unreleased, dates) start no section.
 */
export function splitSections(content: string, versioning?: Versioning, format: ChangelogFormat = "markdown", packageName?: string): Map<string, ChangelogSection> {
  const headings = format === "rst" ? rstHeadings(content, versioning, packageName) : scanHeadings(content, versioning, packageName);
  const versioned = headings.some((heading) => heading.version) ? headings : lineHeadings(content, versioning, packageName);
  const sections = new Map<string, ChangelogSection>();
  versioned.forEach((heading, index) => {
    if (!heading.version || sections.has(heading.version)) return;
    const next = versioned
      .slice(index + 1)
      .find(
        (later) =>
          later.version || later.depth < heading.depth || (later.depth === heading.depth && closingHeading.test(later.text)),
      );
    const body = content.slice(heading.end, next?.start ?? content.length).trim();
    sections.set(heading.version, { version: heading.version, heading: heading.text, body });
  });
  return sections;
}

/** Exactly the sections of the wanted versions, and the versions that have none. */
export function extractSections(content: string, wanted: string[], versioning?: Versioning, format?: ChangelogFormat, packageName?: string): { found: ChangelogSection[]; missing: string[] } {
  const sections = splitSections(content, versioning, format, packageName);
  const found: ChangelogSection[] = [];
  const missing: string[] = [];
  for (const version of wanted) {
    // Headings are normalised (v2.7.4 → 2.7.4); the section is filed under the version as the registry spells it.
    const section = sections.get(version) ?? sections.get(versioning?.normalise(version) ?? version) ?? samePep440Release(sections, version, versioning);
    if (section) found.push({ ...section, version });
    else missing.push(version);
  }
  return { found, missing };
}

// PEP 440 reads "2.3" and "2.3.0" as one release: Flask's "Version 2.3.0" is PyPI's 2.3.
function samePep440Release(sections: Map<string, ChangelogSection>, version: string, versioning: Versioning | undefined): ChangelogSection | undefined {
  if (versioning?.scheme !== "pep440") return undefined;
  for (const [heading, section] of sections) if (versioning.compare(heading, version) === 0) return section;
  return undefined;
}

/**
 * The top-level Markdown headings, found by a line scan as CommonMark reads them: ATX (`## 1.2.3`, up to
 * three spaces in, closing #s dropped) and setext (a paragraph underlined with === or ---), none inside
 * fenced code, block quotes, lists or indented code. No syntax tree is built: changelogs run to
 * megabytes, and a tree of one held hundreds of MB.
 */
export function scanHeadings(content: string, versioning: Versioning | undefined, packageName?: string): Heading[] {
  const headings: Heading[] = [];
  let fence: { char: string; length: number } | undefined;
  // The current top-level paragraph: where it starts, or undefined when the last line ended one.
  let paragraphStart: number | undefined;
  // Reference definitions ("[1.2.3]: https://…") make "[1.2.3]" a link, shown as its text.
  const definitions = new Set([...content.matchAll(/^ {0,3}\[([^\]]+)\]:[ \t]*\S/gm)].map((match) => (match[1] ?? "").toLowerCase()));
  const inlineText = (markdown: string) => renderedText(markdown, definitions);
  let offset = 0;
  for (const raw of content.split("\n")) {
    const start = offset;
    offset = start + raw.length + 1;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const end = start + line.length;
    if (fence) {
      const closing = /^ {0,3}(`{3,}|~{3,})[ \t]*\r?$/.exec(line)?.[1];
      if (closing && closing[0] === fence.char && closing.length >= fence.length) fence = undefined;
      continue;
    }
    const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (opening && !(opening[0] === "`" && line.slice(line.indexOf(opening) + opening.length).includes("`"))) {
      fence = { char: opening[0] ?? "`", length: opening.length };
      paragraphStart = undefined;
      continue;
    }
    if (/^\s*\r?$/.test(line)) {
      paragraphStart = undefined;
      continue;
    }
    const atx = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*\r?$/.exec(line);
    if (atx) {
      const text = inlineText(atx[2] ?? "");
      headings.push({ depth: atx[1]?.length ?? 1, version: headingVersion(text, versioning, packageName), text, start: start + (line.length - line.trimStart().length), end });
      paragraphStart = undefined;
      continue;
    }
    const underline = /^ {0,3}(=+|-+)[ \t]*\r?$/.exec(line)?.[1];
    if (underline && paragraphStart !== undefined) {
      const text = inlineText(content.slice(paragraphStart, start).trim().replace(/\s*\n\s*/g, " "));
      headings.push({ depth: underline[0] === "=" ? 1 : 2, version: headingVersion(text, versioning, packageName), text, start: paragraphStart, end });
      paragraphStart = undefined;
      continue;
    }
    // Lists, block quotes, indented code, thematic breaks and HTML are not top-level paragraphs.
    const nested = /^( {4}|\t| {0,3}(>|[-*+][ \t]|\d{1,9}[.)][ \t]|([-*_])[ \t]*(\3[ \t]*){2,}\r?$|<))/.test(line) || /^ {0,3}[-*+]\r?$/.test(line);
    if (nested) paragraphStart = undefined;
    else paragraphStart ??= start + (line.length - line.trimStart().length);
  }
  return headings;
}

// A heading's text as Markdown renders it: links and references to their text, images and HTML dropped,
// code and emphasis markers removed, escapes resolved.
function renderedText(markdown: string, definitions: ReadonlySet<string>): string {
  const destination = String.raw`\((?:<[^>\n]*>|[^\s()]*)(?:[ \t]+"[^"]*")?\)`;
  return markdown
    .replace(new RegExp(String.raw`!\[[^\]]*\]` + destination, "g"), "")
    .replace(/<[^>]*>/g, "")
    .replace(new RegExp(String.raw`\[([^\]]*)\]` + destination, "g"), "$1")
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, "$1")
    .replace(/\[([^\]]+)\](?![(:[])/g, (whole, label: string) => (definitions.has(label.toLowerCase()) ? label : whole))
    .replace(/`+([^`]*)`+/g, "$1")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[^\w*])\*(\S(?:.*?\S)?)\*(?!\w)/g, "$1$2")
    .replace(/\\([!-/:-@[-`{-~])/g, "$1")
    .trim();
}

// Plain-text and reStructuredText changelogs: a short line that starts with a version.
function lineHeadings(content: string, versioning: Versioning | undefined, packageName?: string): Heading[] {
  const headings: Heading[] = [];
  const linePattern = /^[ \t]*(\S[^\n]{0,100})$/gm;
  for (const match of content.matchAll(linePattern)) {
    const text = (match[1] ?? "").trim();
    if (/^[-*+]\s/.test(text)) continue;
    const version = headingVersion(text, versioning, packageName);
    if (!version) continue;
    // SQLAlchemy's reStructuredText: ".. changelog::" then ":version: 2.0.3" — the directive opens the section.
    const directive = /(?:^|\n)([ \t]*\.\. changelog::[ \t]*\n)$/.exec(content.slice(0, match.index));
    const start = directive?.[1] ? match.index - directive[1].length : match.index;
    let end = start + match[0].length;
    // An underline ("-----", "=====", "~~~~") belongs to the heading.
    const underline = /^\n[ \t]*([-=~^*#])\1{2,}[ \t]*(?=\n|$)/.exec(content.slice(end));
    if (underline) end += underline[0].length;
    headings.push({ depth: 1, version, text, start, end });
  }
  return headings;
}
