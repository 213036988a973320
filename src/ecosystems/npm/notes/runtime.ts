import semver from "semver";
import type { RuntimeNotes } from "../../../analysis/notes-relevance.js";
import type { ProjectView } from "../../../analysis/project-view.js";
import { nodeSupportFor } from "../../../project/facts.js";
import type { Signal } from "../../../types.js";

const nodeMajor = /\bnode(?:\.?js)?\b[^.\d<>]{0,30}?(<=?|>=?)?\s*v?(\d{1,2})(?!\d)/i;
const dropping = /\b(?:drop(?:s|ped)?|remove[sd]?|end(?:s|ed)?)\b/i;

/** A breaking (or minimum-Node) notes line that names a Node.js version, compared with the Node range the project declares. */
export const nodeNotes: RuntimeNotes = (signal, project) => {
  const match = nodeMajor.exec(signal.evidence?.quote ?? "");
  if (!match || (signal.severity !== "breaking" && signal.rule !== "heuristic/minimum-node")) return undefined;
  return compareWithNode(signal, match, project);
};

function compareWithNode(signal: Signal, match: RegExpExecArray, project: ProjectView): Signal {
  const support = nodeSupportFor(project.facts, project.importers);
  const major = Number(match[2]);
  if (support.range === null || !semver.validRange(support.range)) {
    return { ...signal, severity: "risky", message: `${signal.message}; the project declares no Node version to compare with`, fact: "no Node version declared", strength: "inferred" };
  }
  const fact = `${support.source} ${support.range}`;
  // "drop support for Node 14" leaves 14 and older behind; "requires Node >= 18" leaves everything below 18.
  const leftBehind = dropping.test(signal.evidence?.quote ?? "") && !/>/.test(match[1] ?? "") ? (match[1] === "<" ? `<${major}.0.0` : `<${major + 1}.0.0`) : `<${major}.0.0`;
  if (semver.intersects(support.range, leftBehind)) {
    return { ...signal, severity: "breaking", message: `${signal.message}: Node ${leftBehind.slice(1)} and older are no longer supported, and the project supports them (${fact})`, fact, strength: "quoted" };
  }
  return { ...signal, severity: "info", message: `${signal.message}; the project's Node range (${fact}) is not affected`, fact, strength: "quoted" };
}
