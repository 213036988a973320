import type { SyntaxNode } from "@lezer/common";
import { parser } from "@lezer/python";

/** One parameter of a function as declared. */
export interface Parameter {
  name: string;
  kind: "positional" | "keyword-only" | "var-positional" | "var-keyword";
  /** The default's source text; null when the parameter is required. */
  default: string | null;
  /** A `None` default the body replaces or tests (`x = x or {}`, `if x is None:`): the function makes its own value. */
  handlesNone?: boolean;
}

export type Definition =
  | { kind: "function"; parameters: Parameter[] }
  | { kind: "class"; methods: [string, Parameter[]][] }
  | { kind: "variable" };

/** What one module defines and re-exports (lists of pairs, so the surface caches as JSON). */
export interface ModuleSurface {
  /** Read from a `.pyi` stub or from the `.py` source: the two are only compared like with like. */
  from?: "stub" | "source";
  definitions: [string, Definition][];
  /** `from .x import Y as Z`: Z → module x, name Y. */
  imports: [string, { module: string; name: string }][];
}

/**
 * Every module of a wheel by dotted name ("httpx", "httpx._client"). A module with both a .pyi and a
 * .py is listed twice, the source first, so `new Map(surface)` keeps the stub.
 */
export type PackageSurface = [string, ModuleSurface][];

/** "httpx/_client.py" → "httpx._client"; a package's __init__ is the package. */
export function moduleName(file: string): string {
  return file.replace(/\.pyi?$/, "").replace(/\/__init__$/, "").split("/").join(".");
}

/** The definitions and imports of the modules in a wheel's .py and .pyi files. */
export function packageSurface(files: Map<string, string>): PackageSurface {
  const sources: PackageSurface = [];
  const stubs: PackageSurface = [];
  for (const [file, source] of files) {
    const module = moduleName(file);
    const stub = file.endsWith(".pyi");
    (stub ? stubs : sources).push([module, { from: stub ? "stub" : "source", ...moduleSurface(source, module, /__init__\.pyi?$/.test(file)) }]);
  }
  return [...sources, ...stubs];
}

// Blocks at module level whose statements still run at import (`try: from ._c import X` / `except ImportError:`).
const conditionalBlocks = new Set(["IfStatement", "TryStatement", "Body"]);

function moduleSurface(source: string, module: string, isPackage: boolean): ModuleSurface {
  const text = (node: SyntaxNode) => source.slice(node.from, node.to);
  const surface: ModuleSurface = { definitions: [], imports: [] };
  const tree = parser.parse(source);
  const read = (first: SyntaxNode | null) => {
    for (let statement = first; statement; statement = statement.nextSibling) readStatement(statement);
  };
  const readStatement = (statement: SyntaxNode) => {
    const node = statement.name === "DecoratedStatement" ? statement.lastChild : statement;
    if (!node) return;
    if (conditionalBlocks.has(node.name)) read(node.firstChild);
    else if (node.name === "FunctionDefinition") {
      const name = node.getChild("VariableName");
      const parameters = node.getChild("ParamList");
      if (name && parameters) surface.definitions.push([text(name), { kind: "function", parameters: parameterList(parameters, node.getChild("Body"), text) }]);
    } else if (node.name === "ClassDefinition") {
      const name = node.getChild("VariableName");
      if (name) surface.definitions.push([text(name), { kind: "class", methods: classMethods(node, text) }]);
    } else if (node.name === "AssignStatement" && node.firstChild?.name === "VariableName") {
      surface.definitions.push([text(node.firstChild), { kind: "variable" }]);
    } else if (node.name === "ImportStatement" && node.firstChild?.name === "from") {
      const children: SyntaxNode[] = [];
      for (let child: SyntaxNode | null = node.firstChild; child; child = child.nextSibling) children.push(child);
      const importAt = children.findIndex((child) => child.name === "import");
      const from = resolveRelative(children.slice(1, importAt).map(text).join(""), module, isPackage);
      for (let index = importAt + 1; index < children.length; index++) {
        const child = children[index] as SyntaxNode;
        if (child.name === "*") surface.imports.push(["*", { module: from, name: "*" }]);
        if (child.name !== "VariableName") continue;
        const alias = children[index + 1]?.name === "as" ? children[index + 2] : undefined;
        surface.imports.push([alias ? text(alias) : text(child), { module: from, name: text(child) }]);
        if (alias) index += 2;
      }
    }
  };
  read(tree.topNode.firstChild);
  return surface;
}

// "._client" in package "httpx" → "httpx._client"; ".." goes up one package.
function resolveRelative(from: string, module: string, isPackage: boolean): string {
  const dots = /^\.*/.exec(from)?.[0].length ?? 0;
  if (dots === 0) return from;
  const base = (isPackage ? module : module.split(".").slice(0, -1).join(".")).split(".");
  const parent = base.slice(0, base.length - (dots - 1)).join(".");
  const rest = from.slice(dots);
  return rest ? `${parent}.${rest}` : parent;
}

function classMethods(node: SyntaxNode, text: (node: SyntaxNode) => string): [string, Parameter[]][] {
  const methods: [string, Parameter[]][] = [];
  const body = node.getChild("Body");
  for (let statement = body?.firstChild; statement; statement = statement.nextSibling) {
    const definition = statement.name === "DecoratedStatement" ? statement.lastChild : statement;
    if (definition?.name !== "FunctionDefinition") continue;
    const name = definition.getChild("VariableName");
    const parameters = definition.getChild("ParamList");
    if (name && parameters) methods.push([text(name), parameterList(parameters, definition.getChild("Body"), text).slice(1)]);
  }
  return methods;
}

function parameterList(list: SyntaxNode, body: SyntaxNode | null, text: (node: SyntaxNode) => string): Parameter[] {
  const parameters: Parameter[] = [];
  let keywordOnly = false;
  let star: "var-positional" | "var-keyword" | undefined;
  for (let child = list.firstChild; child; child = child.nextSibling) {
    if (child.name === "*") star = "var-positional";
    else if (child.name === "**") star = "var-keyword";
    else if (child.name === ",") {
      if (star === "var-positional") keywordOnly = true;
      star = undefined;
    } else if (child.name === "VariableName") {
      if (star) {
        parameters.push({ name: text(child), kind: star, default: null });
        if (star === "var-positional") keywordOnly = true;
        star = undefined;
        continue;
      }
      let next = child.nextSibling;
      if (next?.name === "TypeDef") next = next.nextSibling;
      const value = next?.name === "AssignOp" ? next.nextSibling : null;
      parameters.push({ name: text(child), kind: keywordOnly ? "keyword-only" : "positional", default: value ? text(value) : null });
      // The default is a value, not the next parameter: `Dumper=Dumper` and `x=NOT_GIVEN` are one VariableName after the `=`.
      if (value) child = value;
    }
  }
  const code = body ? text(body) : "";
  for (const parameter of parameters) if (parameter.default === "None" && handlesNone(code, parameter.name)) parameter.handlesNone = true;
  return parameters;
}

// `x = x or {}`, `x or {}`, `if x is None:`, `x if x is not None else …`, `if not x:`: the body gives None its own meaning.
function handlesNone(body: string, name: string): boolean {
  return new RegExp(`\\b${name}\\s+is\\s+(?:not\\s+)?None\\b|\\b${name}\\s+or\\b|\\bif\\s+(?:not\\s+)?${name}\\s*:`).test(body);
}

/**
 * What a name in a module stands for, following re-exports and star imports (`httpx.AsyncClient` is
 * defined in httpx._client): "missing" when the module is known and has no such name; undefined
 * when the module is not in the wheel (a name bumpwise cannot judge).
 */
export function resolve(surface: Map<string, ModuleSurface>, module: string, name: string, depth = 0): Definition | "module" | "missing" | undefined {
  if (depth > 8) return undefined;
  if (surface.has(`${module}.${name}`)) return "module";
  const own = surface.get(module);
  if (!own) return undefined;
  // The last definition wins, as at import time.
  const definition = own.definitions.filter(([defined]) => defined === name).at(-1)?.[1];
  if (definition) return definition;
  // `try: from ._c import X` / `except ImportError: from ._py import X`: the first the wheel holds.
  const imported = own.imports.filter(([local]) => local === name);
  if (imported.length > 0) {
    for (const [, from] of imported) {
      const found = resolve(surface, from.module, from.name, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  let unknown = false;
  for (const [, star] of own.imports.filter(([local]) => local === "*")) {
    const found = resolve(surface, star.module, name, depth + 1);
    if (found && found !== "missing") return found;
    if (found === undefined) unknown = true;
  }
  return unknown ? undefined : "missing";
}
