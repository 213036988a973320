/** The fields bumpwise reads from a wheel's METADATA (core metadata, RFC 822 headers). */
export interface CoreMetadata {
  requiresPython?: string;
  requiresDist: string[];
  providesExtra: string[];
  projectUrls: Map<string, string>;
  homePage?: string;
  /** The long description's changelog, when it carries one (from its "Changelog"/"History"/"Changes" heading on, bounded). */
  changelog?: DescriptionChangelog;
}

export interface DescriptionChangelog {
  text: string;
  format: "markdown" | "rst";
}

const changelogKept = 256 * 1024;
// A heading that opens a changelog: Markdown "## Changelog", or a reStructuredText title "History" over its underline.
const changelogHeading = /^(?:#{1,6}[ \t]*)?(?:change ?log|changes|history|release notes|release history|news|what'?s new)[ \t]*:?[ \t]*#*[ \t]*$/im;

/** Parses the header block of a METADATA file, and the changelog its long description (the body after the blank line) may carry. */
export function parseCoreMetadata(text: string): CoreMetadata {
  const normal = text.replace(/\r\n?/g, "\n");
  const split = normal.indexOf("\n\n");
  const headerBlock = split < 0 ? normal : normal.slice(0, split);
  const body = split < 0 ? "" : normal.slice(split + 2);
  const metadata: CoreMetadata = { requiresDist: [], providesExtra: [], projectUrls: new Map() };
  // A header may continue on lines that start with whitespace.
  for (const header of headerBlock.split(/\n(?![ \t])/)) {
    const colon = header.indexOf(":");
    if (colon <= 0) continue;
    const key = header.slice(0, colon).trim().toLowerCase();
    const value = header.slice(colon + 1).replace(/\n[ \t]+/g, " ").trim();
    if (key === "requires-python") metadata.requiresPython = value;
    else if (key === "requires-dist") metadata.requiresDist.push(value);
    else if (key === "provides-extra") metadata.providesExtra.push(value);
    else if (key === "home-page") metadata.homePage = value;
    else if (key === "project-url") {
      const [label, url] = value.split(/,\s*/, 2);
      if (label && url) metadata.projectUrls.set(label.trim(), url.trim());
    }
  }
  const opening = changelogHeading.exec(body);
  if (opening) {
    const markdown = /^description-content-type:\s*text\/markdown/im.test(headerBlock);
    metadata.changelog = { text: body.slice(opening.index, opening.index + changelogKept), format: markdown ? "markdown" : "rst" };
  }
  return metadata;
}
