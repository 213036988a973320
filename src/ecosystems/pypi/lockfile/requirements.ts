import path from "node:path";
import { unsafeFile } from "../../../safe-file.js";
import { LockfileFormatError } from "../../lock-graph.js";
import { normaliseName, parseRequirement } from "../names.js";
import { emptyGraph, type PythonLockfileReader, type PythonProjectFiles, sourceOf } from "./types.js";

/** One requirement line of a requirements file, after continuations are joined and comments dropped. */
interface Line {
  file: string;
  line: number;
  text: string;
  /** pip-compile's `# via` annotation under the line: who asked for the package. */
  via: string[];
}

const optionsWithValue = /^(-i|--index-url|--extra-index-url|-f|--find-links|--trusted-host|--only-binary|--no-binary|--prefer-binary|--pre|--no-index|--require-hashes|--use-feature|--config-settings)\b/;

/**
 * Pinned requirements files (`pip-compile`, `uv pip compile`, `pip freeze`, or by hand): `==` pins,
 * `--hash` options, `\` continuations, `-r`/`-c` includes, markers and extras; `-e` and URL
 * requirements are listed, not planned. The direct dependencies are the `.in` file's (named in the
 * pip-compile / uv header, or beside the file), else the `# via -r` annotations, else every pin.
 */
export const requirementsReader: PythonLockfileReader = {
  manager: "pip",
  // Any .txt or .pip file given with --lockfile; detection looks for requirements.txt only.
  reads: (fileName) => /\.(txt|pip)$/i.test(fileName),
  async read(content, lockfile, project) {
    const relative = path.relative(project.dir, lockfile) || path.basename(lockfile);
    const lines = await requirementLines(content, relative, project, new Set([relative]));
    const graph = emptyGraph();
    const dev = /(^|[-_.])(dev|test|tests|lint|docs)([-_.]|$)/i.test(path.basename(lockfile));
    const pins = new Map<string, { id: string; via: string[] }>();
    const ranges: string[] = [];
    for (const line of lines) {
      const requirement = parseRequirement(line.text);
      const editable = /^(-e|--editable)\s+(.+)$/.exec(line.text);
      if (editable || !requirement || requirement.url) {
        const target = editable?.[2] ?? requirement?.url ?? line.text;
        const egg = requirement?.name ?? /#egg=([\w.-]+)/.exec(target)?.[1];
        if (!egg && !/^(\.|\/|\w+:\/\/|git\+)/.test(target)) throw new LockfileFormatError(`${line.file} line ${line.line}: ${notARequirement(line.text)}`);
        // A path or URL without a name is listed as written.
        const name = egg ? normaliseName(egg) : target;
        const id = `${name}@direct`;
        graph.nodes.set(id, { name, version: "", dependencies: [], dev });
        graph.sources.set(id, sourceOf(target));
        pins.set(name, { id, via: line.via });
        continue;
      }
      const pinned = /^===?([^,*]+)$/.exec(requirement.specifier)?.[1];
      if (!pinned) {
        // A range, not a pin: nothing is locked to review, and the report says so.
        ranges.push(`${requirement.name}${requirement.specifier ? ` ${requirement.specifier}` : ""} (${line.file}:${line.line})`);
        continue;
      }
      const id = `${requirement.name}@${pinned}`;
      graph.nodes.set(id, { name: requirement.name, version: pinned, dependencies: [], dev });
      pins.set(requirement.name, { id, via: line.via });
    }
    // pip-compile's annotations are the graph: "# via fastapi" makes starlette a dependency of fastapi.
    for (const pin of pins.values()) {
      for (const parent of pin.via) {
        const from = pins.get(normaliseName(parent));
        if (from) graph.nodes.get(from.id)?.dependencies.push(pin.id);
      }
    }
    const direct = await directNames(content, lockfile, project, pins);
    for (const name of direct) {
      const pin = pins.get(name);
      if (pin) graph.roots.push({ importer: ".", name, nodeId: pin.id, dev });
    }
    if (ranges.length > 0) {
      const shown = ranges.slice(0, 8).join(", ");
      graph.notes = [`${ranges.length === 1 ? "1 requirement is a range" : `${ranges.length} requirements are ranges`}, not ${ranges.length === 1 ? "a pin" : "pins"}: not reviewed (${shown}${ranges.length > 8 ? ` and ${ranges.length - 8} more` : ""}); pin them (\`uv pip compile\`, \`pip-compile\`) to have them reviewed`];
    }
    return graph;
  },
};

async function directNames(content: string, lockfile: string, project: PythonProjectFiles, pins: Map<string, { via: string[] }>): Promise<string[]> {
  // "#    pip-compile --output-file=requirements.txt requirements.in" / "#    uv pip compile requirements.in -o requirements.txt"
  const command = /^#\s+(?:pip-compile|uv pip compile)\b(.*)$/m.exec(content)?.[1] ?? "";
  // `pip-compile pyproject.toml`: the direct dependencies are [project] dependencies, with the extras the command asked for.
  const fromPyproject = command.split(/\s+/).some((word) => word === "pyproject.toml" || word.endsWith("/pyproject.toml"));
  if (fromPyproject && project.pyproject) {
    const extras = new Set([...command.matchAll(/--extra[=\s]+(\S+)/g)].map((match) => match[1]));
    const all = /--all-extras\b/.test(command);
    return project.pyproject.declarations.filter((declaration) => declaration.group === null || (declaration.extra && (all || extras.has(declaration.group)))).map((declaration) => declaration.name);
  }
  // Annotated "# via compile-demo (pyproject.toml)" without a header: the pins the project itself asked for.
  const viaProject = [...pins].filter(([, pin]) => pin.via.some((parent) => /\((?:.*\/)?pyproject\.toml\)$/.test(parent)));
  if (viaProject.length > 0 && !command) return viaProject.map(([name]) => name);
  const inputs = command.split(/\s+/).filter((word) => /\.(in|txt)$/.test(word) && !word.startsWith("-"));
  const sibling = path.basename(lockfile).replace(/\.txt$/, ".in");
  for (const input of [...inputs.filter((word) => !word.includes("=")), sibling]) {
    const relative = path.join(path.dirname(path.relative(project.dir, lockfile)), input);
    const text = (await unsafeFile(project.dir, relative)) ? undefined : await project.readText(relative);
    if (text === undefined) continue;
    const lines = await requirementLines(text, input, project, new Set([input]), false);
    return lines.flatMap((line) => parseRequirement(line.text)?.name ?? []);
  }
  const annotated = [...pins].filter(([, pin]) => pin.via.some((parent) => parent.startsWith("-r ")));
  return (annotated.length > 0 ? annotated : [...pins]).map(([name]) => name);
}

async function requirementLines(content: string, file: string, project: PythonProjectFiles, seen: Set<string>, followConstraints = true): Promise<Line[]> {
  const result: Line[] = [];
  const physical = content.replace(/\r\n?/g, "\n").split("\n");
  let current: Line | undefined;
  let lastRequirement: Line | undefined;
  let inVia = false;
  for (let index = 0; index < physical.length; index++) {
    let text = physical[index] ?? "";
    const start = index;
    // Comments are stripped after continuation lines are joined (pip PR #7780).
    while (/(^|[^\\])\\$/.test(text) && index + 1 < physical.length) text = text.slice(0, -1) + " " + (physical[++index] ?? "");
    const comment = /(^|\s)#(.*)$/.exec(text);
    const code = (comment ? text.slice(0, comment.index) : text).trim();
    if (code === "") {
      const note = comment?.[2]?.trim() ?? "";
      if (lastRequirement && /^via\b/.test(note)) {
        inVia = true;
        const rest = note.replace(/^via\s*/, "");
        if (rest) lastRequirement.via.push(rest);
      } else if (lastRequirement && inVia && note) lastRequirement.via.push(note);
      else inVia = false;
      continue;
    }
    inVia = false;
    const include = /^(-r|--requirement|-c|--constraint)(?:\s+|=)(\S+)$/.exec(code);
    if (include?.[1] && include[2]) {
      const constraint = include[1].startsWith("-c") || include[1] === "--constraint";
      if (constraint && !followConstraints) continue;
      const target = path.normalize(path.join(path.dirname(file), include[2]));
      if (target.startsWith("..") || path.isAbsolute(target)) throw new LockfileFormatError(`${file} line ${start + 1}: "${include[2]}" is outside the project`);
      // An include is read like an edit is written (and a constraint file by the tool that relocks): a
      // regular file inside the project, never through a link.
      const unsafe = await unsafeFile(project.dir, target);
      if (unsafe && unsafe !== "the file cannot be read") throw new LockfileFormatError(`${file} line ${start + 1}: the include ${include[2]} was refused: ${unsafe}`);
      if (seen.has(target) || constraint) continue;
      seen.add(target);
      const included = await project.readText(target);
      if (included === undefined) throw new LockfileFormatError(`${file} line ${start + 1}: ${include[2]} not found`);
      result.push(...(await requirementLines(included, target, project, seen, followConstraints)));
      continue;
    }
    if (optionsWithValue.test(code)) continue;
    // Per-requirement options (--hash=…) follow the requirement.
    const requirement = code.replace(/\s+--(hash|config-settings|global-option)[=\s]\S+/g, "").trim();
    current = { file, line: start + 1, text: requirement, via: [] };
    result.push(current);
    lastRequirement = current;
  }
  return result;
}

// What a line that is not a requirement is, without quoting it: an include may have pulled in any file.
function notARequirement(text: string): string {
  if (/^(<{7}|={7}|>{7})(\s|$)/.test(text)) return "a merge conflict marker; resolve the conflict first";
  return "not a requirement, an option or an include pip reads";
}
