import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmTableFromMarkdown } from "mdast-util-gfm-table";
import { gfmTable } from "micromark-extension-gfm-table";
import type { Nodes, Root, RootContent } from "mdast";

/** What a reviewer sees when GitHub renders report.md as a PR body, read with a real Markdown parser. */
export interface PullRequestBodyReading {
  /** Raw HTML other than the report's own <details>, <summary> and <b> wrappers. */
  foreignHtml: string[];
  /** @name in rendered text (code spans and blocks are literal on GitHub: no mention there). */
  liveMentions: string[];
  /** The widest table's column count. */
  maxColumns: number;
  /** The "In this PR" list: each item's `name@from` → `to` as "name from → to". */
  inThisPr: string[];
  /** The "Not in this PR" list as plain text. */
  notInThisPr: string[];
  /** Every link's target (release notes keep their https links; nothing else links). */
  links: string[];
}

const ownTags = /<\/?(details|summary|b)>/g;

export function readPullRequestBody(markdown: string): PullRequestBodyReading {
  const tree = fromMarkdown(markdown, { extensions: [gfmTable()], mdastExtensions: [gfmTableFromMarkdown()] });
  const reading: PullRequestBodyReading = { foreignHtml: [], liveMentions: [], maxColumns: 0, inThisPr: [], notInThisPr: [], links: [] };
  const visit = (node: Nodes) => {
    if (node.type === "html") {
      const rest = node.value.replace(ownTags, "");
      if (/<[a-zA-Z!/]/.test(rest)) reading.foreignHtml.push(node.value);
    }
    if (node.type === "text") for (const match of node.value.matchAll(/(?:^|[^\w`])@([A-Za-z0-9][\w-]*)/g)) reading.liveMentions.push(match[0]);
    if (node.type === "link" || node.type === "image") reading.links.push(node.url);
    if (node.type === "table") reading.maxColumns = Math.max(reading.maxColumns, ...node.children.map((row) => row.children.length));
    if ("children" in node) for (const child of node.children as Nodes[]) visit(child);
  };
  visit(tree);
  reading.inThisPr = listAfter(tree, "In this PR").map((item) => {
    const [nameAtFrom = "", to = ""] = codeSpans(item);
    const at = nameAtFrom.lastIndexOf("@");
    return `${nameAtFrom.slice(0, at)} ${nameAtFrom.slice(at + 1)} → ${to}`;
  });
  reading.notInThisPr = listAfter(tree, "Not in this PR").map(plain);
  return reading;
}

function listAfter(tree: Root, heading: string): RootContent[] {
  const index = tree.children.findIndex((node) => node.type === "heading" && plain(node) === heading);
  const list = index >= 0 ? tree.children[index + 1] : undefined;
  return list?.type === "list" ? list.children : [];
}

function codeSpans(node: Nodes): string[] {
  if (node.type === "inlineCode") return [node.value];
  return "children" in node ? (node.children as Nodes[]).flatMap(codeSpans) : [];
}

function plain(node: Nodes): string {
  if ("value" in node && typeof node.value === "string") return node.value;
  return "children" in node ? (node.children as Nodes[]).map(plain).join("") : "";
}
