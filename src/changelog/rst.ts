import type { Versioning } from "../versioning.js";
import { type Heading, headingVersion } from "./heading-version.js";

// An adornment line: one punctuation character repeated (reST allows any of these; "-", "=", "~", "^", "*" in practice).
const adornment = /^([!-/:-@[-`{-~])\1{2,}[ \t]*$/;

/**
 * reStructuredText section titles: a line underlined (`0.65.2` / `------`), or over- and underlined
 * with the same character. As in docutils, a title's level is the order its style (character, and
 * whether it is overlined) first appears in the file, so `~~~` may sit above or below `---`.
 * Indented lines (literal blocks, list bodies) are not titles.
 */
export function rstHeadings(content: string, versioning: Versioning | undefined, packageName?: string): Heading[] {
  const lines: { text: string; start: number; end: number }[] = [];
  let offset = 0;
  for (const raw of content.split("\n")) {
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    lines.push({ text, start: offset, end: offset + text.length });
    offset += raw.length + 1;
  }
  const styles: string[] = [];
  const depthOf = (style: string) => (styles.includes(style) ? styles.indexOf(style) : styles.push(style) - 1) + 1;
  const headings: Heading[] = [];
  const isBlank = (index: number) => index < 0 || /^\s*$/.test(lines[index]?.text ?? "");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const next = lines[index + 1];
    if (!line || !next) break;
    const over = adornment.exec(line.text)?.[1];
    const after = lines[index + 2];
    if (over && after && !isBlank(index + 1) && !adornment.test(next.text) && adornment.exec(after.text)?.[1] === over) {
      const text = next.text.trim();
      headings.push({ depth: depthOf(`${over}over`), version: headingVersion(text, versioning, packageName), text, start: line.start, end: after.end });
      index += 2;
      continue;
    }
    const under = adornment.exec(next.text)?.[1];
    if (!over && under && /^\S/.test(line.text) && isBlank(index - 1)) {
      const text = line.text.trim();
      headings.push({ depth: depthOf(under), version: headingVersion(text, versioning, packageName), text, start: line.start, end: next.end });
      index += 1;
    }
  }
  return [...headings, ...standaloneVersionLines(lines, headings, versioning, packageName)].sort((a, b) => a.start - b.start);
}

/**
 * A version alone on a line between blank lines ("6.0.3 (2025-09-25)"): PyYAML's CHANGES writes its
 * newer releases so and underlines only the older ones. They take the level of the underlined versions.
 */
function standaloneVersionLines(lines: { text: string; start: number; end: number }[], titles: Heading[], versioning: Versioning | undefined, packageName?: string): Heading[] {
  const depth = Math.min(...titles.filter((title) => title.version).map((title) => title.depth), Number.POSITIVE_INFINITY);
  const inTitle = (line: { start: number }) => titles.some((title) => line.start >= title.start && line.start < title.end);
  const blank = (index: number) => index < 0 || index >= lines.length || /^\s*$/.test(lines[index]?.text ?? "");
  return lines.flatMap((line, index): Heading[] => {
    if (!/^\S/.test(line.text) || /^[-*+]\s/.test(line.text) || line.text.length > 100 || !blank(index - 1) || !blank(index + 1) || inTitle(line)) return [];
    const text = line.text.trim();
    const version = headingVersion(text, versioning, packageName);
    return version ? [{ depth: Number.isFinite(depth) ? depth : 1, version, text, start: line.start, end: line.end }] : [];
  });
}
