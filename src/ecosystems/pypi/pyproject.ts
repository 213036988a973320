import { parse as parseToml, TomlError } from "smol-toml";
import { LockfileFormatError } from "../lock-graph.js";
import { normaliseName, parseRequirement } from "./names.js";

/** A dependency as the project declares it. `group` is null for the main dependencies. */
export interface PythonDeclaration {
  name: string;
  specifier: string;
  /** null: `[project] dependencies` / Poetry main; an extra's or a group's name otherwise. */
  group: string | null;
  /** Declared as an optional extra of the project (not a dev group). */
  extra: boolean;
  /** A path, git or URL source: listed, never planned. */
  direct?: string;
  /** The extras asked for (`httpx[http2]`). */
  extras: string[];
}

/** What bumpwise reads of pyproject.toml (PEP 621, PEP 735 groups, Poetry's tables). */
export interface Pyproject {
  requiresPython?: { range: string; source: string };
  declarations: PythonDeclaration[];
  /** Names under `[tool.poetry]`: Poetry's own syntax (^, ~, ||) for ranges. */
  poetry: boolean;
}

type Table = Record<string, unknown>;

/** Parses TOML, naming the file and line on a syntax error. */
export function parseTomlFile(content: string, file: string): Table {
  try {
    return parseToml(content);
  } catch (error) {
    if (error instanceof TomlError) throw new LockfileFormatError(`${file} line ${error.line}: ${error.message.split("\n")[0]}`);
    throw error;
  }
}

export function readPyproject(content: string): Pyproject {
  const document = parseTomlFile(content, "pyproject.toml");
  const project = table(document.project);
  const poetry = table(table(document.tool).poetry);
  const declarations: PythonDeclaration[] = [];
  for (const text of strings(project.dependencies)) pushRequirement(declarations, text, null, false);
  for (const [extra, list] of Object.entries(table(project["optional-dependencies"]))) {
    for (const text of strings(list)) pushRequirement(declarations, text, extra, true);
  }
  for (const [group, list] of Object.entries(table(document["dependency-groups"]))) {
    for (const text of strings(list)) pushRequirement(declarations, text, group, false);
  }
  for (const [name, value] of Object.entries(table(poetry.dependencies))) pushPoetry(declarations, name, value, null);
  for (const [name, value] of Object.entries(table(poetry["dev-dependencies"]))) pushPoetry(declarations, name, value, "dev");
  for (const [group, body] of Object.entries(table(poetry.group))) {
    for (const [name, value] of Object.entries(table(table(body).dependencies))) pushPoetry(declarations, name, value, group);
  }
  const result: Pyproject = { declarations, poetry: Object.keys(poetry).length > 0 };
  if (typeof project["requires-python"] === "string") result.requiresPython = { range: project["requires-python"], source: "requires-python in pyproject.toml" };
  else if (typeof table(poetry.dependencies).python === "string") {
    result.requiresPython = { range: poetryRange(table(poetry.dependencies).python as string), source: "tool.poetry.dependencies.python in pyproject.toml" };
  }
  return result;
}

function pushRequirement(into: PythonDeclaration[], text: string, group: string | null, extra: boolean): void {
  const requirement = parseRequirement(text);
  if (!requirement) return;
  into.push({ name: requirement.name, specifier: requirement.specifier, group, extra, extras: requirement.extras, ...(requirement.url ? { direct: requirement.url } : {}) });
}

function pushPoetry(into: PythonDeclaration[], name: string, value: unknown, group: string | null): void {
  if (name === "python") return;
  const spec = typeof value === "string" ? value : typeof table(value).version === "string" ? (table(value).version as string) : "";
  const source = ["git", "path", "url"].map((key) => table(value)[key]).find((found): found is string => typeof found === "string");
  const extras = Array.isArray(table(value).extras) ? (table(value).extras as unknown[]).filter((item): item is string => typeof item === "string") : [];
  into.push({ name: normaliseName(name), specifier: poetryRange(spec), group, extra: table(value).optional === true, extras, ...(source ? { direct: source } : {}) });
}

/**
 * Poetry's constraint syntax as a PEP 440 specifier: `^1.2` → `>=1.2,<2.0`, `~1.2` → `>=1.2,<1.3`,
 * `1.2.*` and `*` as PEP 440 has them. An alternative (`||`) keeps its first part.
 */
export function poetryRange(constraint: string): string {
  const first = (constraint.split("||")[0] ?? "").trim();
  if (first === "" || first === "*") return "";
  const caret = /^\^\s*(\d+(?:\.\d+)*)$/.exec(first);
  if (caret?.[1]) {
    const parts = caret[1].split(".").map(Number);
    const index = Math.max(0, parts.findIndex((part) => part !== 0) === -1 ? parts.length - 1 : parts.findIndex((part) => part !== 0));
    return `>=${caret[1]},<${upper(parts, index)}`;
  }
  const tilde = /^~(?!=)\s*(\d+(?:\.\d+)*)$/.exec(first);
  if (tilde?.[1]) {
    const parts = tilde[1].split(".").map(Number);
    return `>=${tilde[1]},<${upper(parts, parts.length > 1 ? 1 : 0)}`;
  }
  if (/^\d/.test(first)) return `==${first}`;
  return first.replace(/,/g, " ").trim().split(/\s+(?=[<>!=~])/).map((clause) => clause.replace(/\s+/g, "")).join(",");
}

function upper(parts: number[], index: number): string {
  const bumped = parts.slice(0, index + 1);
  bumped[index] = (bumped[index] ?? 0) + 1;
  return bumped.join(".") + (bumped.length === 1 ? ".0" : "");
}

export function table(value: unknown): Table {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date) ? (value as Table) : {};
}

/** A TOML value that should be a string: itself, else "" (a table or array is not stringified into "[object Object]"). */
export function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}
