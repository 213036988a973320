import { normaliseName, parseRequirement } from "./names.js";
import { bumpPoetryConstraint, bumpSpecifier, type PinStyle } from "./ranges.js";

export type { PinStyle } from "./ranges.js";

/** The file's text with the targets pinned, line by line; `pinned`: the names changed. */
export interface PinResult {
  text: string;
  pinned: string[];
}

// Tables whose arrays hold PEP 508 strings, and tables whose keys are dependency names (Poetry, Pipfile).
const requirementArrays = /^\[(project|project\.optional-dependencies|dependency-groups)\]$/;
const keyedTables = /^\[(tool\.poetry\.dependencies|tool\.poetry\.dev-dependencies|tool\.poetry\.group\.[^\]]+\.dependencies|packages|dev-packages|[a-z][\w-]*-dev|[a-z][\w-]*-packages)\]$/;

/**
 * Moves the targets in a pyproject.toml or Pipfile by editing only the text of each requirement: one
 * line changes per package, comments, order, quotes and layout stay as they were (no TOML re-serialising).
 * Each specifier keeps its operators (`~=1.2` → `~=1.4`, `>=1.2,<2` → `>=1.4,<2`, Poetry `^1.2` →
 * `^1.4`; an exact pin stays exact; none stays none), also inside `{ version = … }`. `pins: "exact"`
 * writes `name[extras]==V; marker`, Poetry's `"V"` and the Pipfile's `"==V"` instead.
 */
export function pinTomlRequirements(text: string, targets: ReadonlyMap<string, string>, style: "pep621-or-poetry" | "pipfile", pins: PinStyle = "keep-operator"): PinResult {
  const pinned = new Set<string>();
  let table = "";
  let inProjectDependencies = false;
  const lines = text.split("\n").map((line) => {
    const header = /^\s*(\[[^\]]+\])\s*(#.*)?$/.exec(line)?.[1];
    if (header) {
      table = header.replace(/\s+/g, "");
      inProjectDependencies = false;
      return line;
    }
    if (table === "[project]") {
      if (/^\s*dependencies\s*=\s*\[/.test(line)) inProjectDependencies = true;
      const pinnedLine = inProjectDependencies ? pinQuotedRequirements(line, targets, pinned, pins) : line;
      if (inProjectDependencies && /\]\s*(#.*)?$/.test(line.replace(/"[^"]*"|'[^']*'/g, ""))) inProjectDependencies = false;
      return pinnedLine;
    }
    if (requirementArrays.test(table)) return pinQuotedRequirements(line, targets, pinned, pins);
    if (keyedTables.test(table)) return pinKeyedRequirement(line, targets, pinned, style, pins);
    return line;
  });
  return { text: lines.join("\n"), pinned: [...pinned] };
}

// "httpx[http2]>=0.27,<0.28 ; python_version >= '3.8'" → "httpx[http2]>=0.28.1,<0.29 ; python_version >= '3.8'" (exact: "httpx[http2]==0.28.1 ; …")
function pinQuotedRequirements(line: string, targets: ReadonlyMap<string, string>, pinned: Set<string>, pins: PinStyle): string {
  return line.replace(/"([^"\n]*)"|'([^'\n]*)'/g, (whole, double: string | undefined, single: string | undefined) => {
    const quote = double !== undefined ? '"' : "'";
    const body = double ?? single ?? "";
    const requirement = parseRequirement(body);
    const target = requirement ? targets.get(requirement.name) : undefined;
    if (!requirement || !target || requirement.url) return whole;
    const [head = ""] = body.split(";");
    const nameAndExtras = /^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?/.exec(head)?.[0] ?? requirement.name;
    const marker = body.includes(";") ? body.slice(body.indexOf(";")) : "";
    if (pins === "keep-operator") {
      const rest = head.slice(nameAndExtras.length);
      const moved = rest.trim() === "" ? rest : rest.replace(rest.trim(), bumpSpecifier(rest.trim(), target));
      if (moved === rest) return whole;
      pinned.add(requirement.name);
      return `${quote}${nameAndExtras}${moved}${marker}${quote}`;
    }
    pinned.add(requirement.name);
    return `${quote}${nameAndExtras.trimEnd()}==${target}${marker ? ` ${marker.trimStart()}` : ""}${quote}`;
  });
}

// `fastapi = "^0.65.1"` or `httpx = { version = "~=0.27.0", extras = ["http2"] }`
function pinKeyedRequirement(line: string, targets: ReadonlyMap<string, string>, pinned: Set<string>, style: "pep621-or-poetry" | "pipfile", pins: PinStyle): string {
  const key = /^(\s*)(["']?)([A-Za-z0-9][A-Za-z0-9._-]*)\2(\s*=\s*)(.*)$/.exec(line);
  if (!key) return line;
  const name = normaliseName(key[3] ?? "");
  const target = targets.get(name);
  if (!target || name === "python") return line;
  const pin = (written: string): string => {
    if (pins === "exact") return style === "pipfile" ? `==${target}` : target;
    if (written.trim() === "*") return written;
    return style === "pipfile" ? bumpSpecifier(written, target) : bumpPoetryConstraint(written, target);
  };
  const value = key[5] ?? "";
  const simple = /^(["'])([^"']*)\1(\s*(#.*)?)$/.exec(value);
  if (simple) {
    const moved = pin(simple[2] ?? "");
    if (moved === simple[2]) return line;
    pinned.add(name);
    return `${key[1]}${key[2]}${key[3]}${key[2]}${key[4]}${simple[1]}${moved}${simple[1]}${simple[3] ?? ""}`;
  }
  const inline = /(\bversion\s*=\s*)(["'])([^"']*)\2/.exec(value);
  if (value.startsWith("{") && inline) {
    const moved = pin(inline[3] ?? "");
    if (moved === inline[3]) return line;
    pinned.add(name);
    return line.replace(inline[0], `${inline[1]}${inline[2]}${moved}${inline[2]}`);
  }
  return line;
}

/**
 * Pins in a hand-written requirements file: `name==old` becomes `name==V`, extras, markers and
 * options kept. `hashes`: the file has --hash options, which no longer match and must be regenerated.
 */
export function pinRequirementsFile(text: string, targets: ReadonlyMap<string, string>): PinResult & { hashes: boolean } {
  const pinned = new Set<string>();
  const lines = text.split("\n").map((line) => {
    const match = /^(\s*)([A-Za-z0-9][A-Za-z0-9._-]*)(\s*\[[^\]]*\])?(\s*)===?\s*([^\s;\\#]+)(.*)$/.exec(line);
    if (!match) return line;
    const name = normaliseName(match[2] ?? "");
    const target = targets.get(name);
    if (!target) return line;
    pinned.add(name);
    return `${match[1]}${match[2]}${match[3] ?? ""}${match[4]}==${target}${match[6] ?? ""}`;
  });
  return { text: lines.join("\n"), pinned: [...pinned], hashes: /--hash[=\s]/.test(text) };
}

/**
 * The `--hash` options of each pinned requirement replaced with its new release's digests (every file
 * of the release, as pip-compile lists them), one per continuation line in the file's own indentation.
 * `digests`: sha256 hex strings by normalised name; a requirement without --hash options stays without.
 */
export function rehashRequirementsFile(text: string, digests: ReadonlyMap<string, readonly string[]>): string {
  const physical = text.split("\n");
  const out: string[] = [];
  for (let start = 0; start < physical.length; ) {
    let end = start;
    while (end < physical.length - 1 && /\\\s*$/.test(physical[end] ?? "")) end++;
    const group = physical.slice(start, end + 1);
    start = end + 1;
    const name = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(group[0] ?? "")?.[1];
    const wanted = name ? digests.get(normaliseName(name)) : undefined;
    const hashOption = /\s*--hash[=\s]\s*[a-z0-9]+:[0-9a-fA-F]+/g;
    if (!wanted || !group.some((line) => hashOption.test(line))) {
      out.push(...group);
      continue;
    }
    const indent = /^(\s+)--hash/.exec(group[1] ?? "")?.[1] ?? "    ";
    // What is left of each line once its hashes are gone: the requirement and its options; a comment
    // (which would swallow a continuation) moves to the last line.
    const comments: string[] = [];
    const kept = group
      .map((line) => line.replace(hashOption, "").replace(/\s*\\\s*$/, ""))
      .map((line) => line.replace(/\s+(#.*)$/, (_whole, comment: string) => (comments.push(comment), "")))
      .filter((line) => line.trim() !== "");
    const lines = [...kept, ...wanted.map((digest) => `${indent}--hash=sha256:${digest}`)];
    out.push(...lines.map((line, index) => (index < lines.length - 1 ? `${line} \\` : comments.length > 0 ? `${line}  ${comments.join(" ")}` : line)));
  }
  return out.join("\n");
}
