/** The fields bumpwise reads from a wheel's METADATA (core metadata, RFC 822 headers). */
export interface CoreMetadata {
  requiresPython?: string;
  requiresDist: string[];
  providesExtra: string[];
  projectUrls: Map<string, string>;
  homePage?: string;
}

/** Parses the header block of a METADATA file; the long description after the blank line is ignored. */
export function parseCoreMetadata(text: string): CoreMetadata {
  const headerBlock = text.replace(/\r\n?/g, "\n").split("\n\n")[0] ?? "";
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
  return metadata;
}
