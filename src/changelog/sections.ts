import { fromMarkdown } from "mdast-util-from-markdown";
import semver from "semver";
import type { Versioning } from "../ecosystems/versioning.js";

/** One version's section of a changelog: its heading and the original text under it. */
export interface ChangelogSection {
  version: string;
  heading: string;
  body: string;
}

// A whole semver token: 1.2.3 must not be read out of 1.2.30 or 11.2.3, nor out of 1.2.3.4.
const versionToken = /(?<![\w.])v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z.-]+)?)(?![\w.]*\d)(?!\.\w)/gi;

// What may stand before the version in a heading: nothing, "v", "Version", "Release", or a package
// name with "@" ("pkg@1.2.3", "@scope/pkg@1.2.3"). "Breaking changes in 2.0.0" is not a version heading.
const headingPrefix = /^(|@?[\w./-]+@|version|release|v)$/i;

// A PEP 440 token: two or more release parts, then pre/post/dev and local parts ("2.0", "1.4.0rc1", "2.0.post1").
const pep440Token = /(?<![\w.])v?(\d+(?:\.\d+)+(?:[-_.]?(?:a|b|rc|c|alpha|beta|pre|preview)\d*)?(?:[-_.]?post\d*)?(?:[-_.]?dev\d*)?(?:\+[a-z0-9.]+)?)(?![\w.]*\d)(?!\.\w)/gi;

/**
 * The version a heading introduces, if it is a version heading. With a `versioning` other than
 * semver (PEP 440), two-part and pre/post-release versions count too, returned normalised.
 */
export function headingVersion(text: string, versioning?: Versioning): string | undefined {
  const pep440 = versioning?.scheme === "pep440";
  for (const match of text.matchAll(pep440 ? pep440Token : versionToken)) {
    const version = pep440 ? (versioning.normalise(match[1] ?? "") ?? undefined) : match[1];
    if (!version || (!pep440 && !semver.valid(version))) continue;
    const prefix = text.slice(0, match.index).replace(/[\s[\]*_`(#:>]/g, "");
    return headingPrefix.test(prefix) ? version : undefined;
  }
  return undefined;
}

interface Heading {
  depth: number;
  version: string | undefined;
  text: string;
  start: number;
  end: number;
}

// Same-level headings that close a version section. Others at the same level are its subsections:
// standard-version writes "### [1.2.4]" for patches and "### Bug Fixes" under it.
const closingHeading = /^\W*(unreleased|upcoming|next\b|older|previous|earlier|archive)/i;

/**
 * Splits a changelog into version sections. A section runs from its heading to the next version
 * heading of any level, a higher-level heading, or a same-level "Unreleased"/"Older releases"
 * heading (so "### Patch Changes" stays inside "## 1.2.3"). Order in the file does not matter; the
 * first section of a version wins. Headings without a version (Unreleased, dates) start no section.
 */
export function splitSections(content: string, versioning?: Versioning): Map<string, ChangelogSection> {
  const headings = markdownHeadings(content, versioning);
  const versioned = headings.some((heading) => heading.version) ? headings : lineHeadings(content, versioning);
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
export function extractSections(content: string, wanted: string[], versioning?: Versioning): { found: ChangelogSection[]; missing: string[] } {
  const sections = splitSections(content, versioning);
  const found: ChangelogSection[] = [];
  const missing: string[] = [];
  for (const version of wanted) {
    // Headings are normalised (v2.7.4 → 2.7.4); the section is filed under the version as the registry spells it.
    const section = sections.get(version) ?? sections.get(versioning?.normalise(version) ?? version);
    if (section) found.push({ ...section, version });
    else missing.push(version);
  }
  return { found, missing };
}

type MdNode = { type: string; depth?: number; value?: string; children?: MdNode[]; position?: { start: { offset?: number }; end: { offset?: number } } };

function markdownHeadings(content: string, versioning: Versioning | undefined): Heading[] {
  const tree = fromMarkdown(content) as MdNode;
  const headings: Heading[] = [];
  for (const node of tree.children ?? []) {
    if (node.type !== "heading" || node.position?.start.offset === undefined || node.position.end.offset === undefined) continue;
    const text = plainText(node).trim();
    headings.push({ depth: node.depth ?? 1, version: headingVersion(text, versioning), text, start: node.position.start.offset, end: node.position.end.offset });
  }
  return headings;
}

function plainText(node: MdNode): string {
  if (node.value !== undefined && node.type !== "html") return node.value;
  return (node.children ?? []).map(plainText).join("");
}

// Plain-text and reStructuredText changelogs: a short line that starts with a version.
function lineHeadings(content: string, versioning: Versioning | undefined): Heading[] {
  const headings: Heading[] = [];
  const linePattern = /^[ \t]*(\S[^\n]{0,100})$/gm;
  for (const match of content.matchAll(linePattern)) {
    const text = (match[1] ?? "").trim();
    if (/^[-*+]\s/.test(text)) continue;
    const version = headingVersion(text, versioning);
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
