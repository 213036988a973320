import { createRequire } from "node:module";
import type * as TS from "typescript";

// Required, not imported: Node's ESM loader would first scan all of typescript.js for its exports (~0.2 s).
const ts = createRequire(import.meta.url)("typescript") as typeof TS;
import type { FileScan, ImportSite, UseKind, UseSite } from "../../../usage/types.js";
import { scriptBlocks } from "./script-blocks.js";

/** A local name that stands for (part of) a package: an import binding or a value made from one. */
interface Origin {
  specifier: string;
  /** The export it stands for; "*" and "default" are the whole module. */
  imported: string;
  typeOnly: boolean;
  derived: boolean;
}

const wholeModule = new Set(["*", "default"]);

/** A project file's imports and use sites: a .vue or .svelte file's script blocks, any other file whole. */
export function scanFile(file: string, source: string): FileScan | { error: string } {
  if (!/\.(vue|svelte)$/.test(file)) return scanSource(source, file);
  const { script, typescript } = scriptBlocks(source);
  return scanSource(script, typescript ? `${file}.ts` : `${file}.js`);
}

/**
 * Imports and use sites of one source file, read with the TypeScript parser (no type checking):
 * comments and strings are not imports, and every member chain on an imported binding is a use.
 * Returns an error when the file does not parse.
 */
export function scanSource(source: string, fileName: string): FileScan | { error: string } {
  // JSDoc is not read for usage: not parsing it saves about a fifth of the parse.
  const file = ts.createSourceFile(fileName, source, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true, scriptKind(fileName));
  const problem = parseDiagnostics(file)[0];
  if (problem) {
    const line = problem.start === undefined ? 0 : file.getLineAndCharacterOfPosition(problem.start).line + 1;
    return { error: `does not parse (line ${line}: ${ts.flattenDiagnosticMessageText(problem.messageText, " ")})` };
  }
  const lineOf = (node: TS.Node) => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  const imports: ImportSite[] = [];
  const uses: UseSite[] = [];
  const origins = new Map<string, Origin>();

  const bind = (site: ImportSite) => {
    imports.push(site);
    for (const binding of site.bindings) origins.set(binding.local, { specifier: site.specifier, imported: binding.imported, typeOnly: site.typeOnly, derived: false });
  };
  walk(file, (node) => {
    const site = importSite(node, lineOf);
    if (site) bind(site);
    const required = moduleLoad(node);
    if (required) {
      const { site: loaded, chainStart } = loadedSite(required.call, required.kind, required.specifier, lineOf);
      bind(loaded);
      if (chainStart) uses.push(...chainUse(chainStart, { specifier: required.specifier, imported: "*", typeOnly: false, derived: false }, lineOf).slice(0, 1));
    }
  });
  // One level of derived values: `const app = express()`, `const program = new Command()`.
  walk(file, (node) => {
    if (!ts.isVariableDeclaration(node) || !ts.isIdentifier(node.name) || !node.initializer) return;
    const made = madeFrom(node.initializer, origins);
    if (made && !origins.has(node.name.text)) origins.set(node.name.text, made);
  });
  walk(file, (node) => {
    if (!ts.isIdentifier(node) || !origins.has(node.text) || !isReference(node)) return;
    uses.push(...chainUse(node, origins.get(node.text) as Origin, lineOf));
  });
  return { imports: imports.sort((a, b) => a.line - b.line), uses: uses.sort((a, b) => a.line - b.line) };
}

function scriptKind(fileName: string): TS.ScriptKind {
  if (/\.tsx$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.[mc]?ts$/.test(fileName)) return ts.ScriptKind.TS;
  if (/\.jsx$/.test(fileName)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

// The parser records syntax errors on the source file; they are not part of the public typings.
function parseDiagnostics(file: TS.SourceFile): readonly TS.Diagnostic[] {
  return (file as unknown as { parseDiagnostics?: readonly TS.Diagnostic[] }).parseDiagnostics ?? [];
}

function walk(node: TS.Node, visit: (node: TS.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

function importSite(node: TS.Node, lineOf: (node: TS.Node) => number): ImportSite | undefined {
  if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
    const clause = node.importClause;
    const bindings: ImportSite["bindings"] = [];
    let everyNameTypeOnly = clause?.isTypeOnly ?? false;
    if (clause?.name) bindings.push({ local: clause.name.text, imported: "default" });
    const named = clause?.namedBindings;
    if (named && ts.isNamespaceImport(named)) bindings.push({ local: named.name.text, imported: "*" });
    if (named && ts.isNamedImports(named)) {
      for (const element of named.elements) bindings.push({ local: element.name.text, imported: (element.propertyName ?? element.name).text });
      if (!clause?.name && named.elements.length > 0 && named.elements.every((element) => element.isTypeOnly)) everyNameTypeOnly = true;
    }
    return { kind: "esm", specifier: node.moduleSpecifier.text, line: lineOf(node), typeOnly: everyNameTypeOnly, names: bindings.map((binding) => binding.imported), bindings };
  }
  if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
    const clause = node.exportClause;
    const names = clause && ts.isNamedExports(clause) ? clause.elements.map((element) => (element.propertyName ?? element.name).getText()) : ["*"];
    return { kind: "re-export", specifier: node.moduleSpecifier.text, line: lineOf(node), typeOnly: node.isTypeOnly, names, bindings: [] };
  }
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
    return { kind: "cjs", specifier: node.moduleReference.expression.text, line: lineOf(node), typeOnly: node.isTypeOnly, names: ["default"], bindings: [{ local: node.name.text, imported: "*" }] };
  }
  return undefined;
}

/** `require("x")` or `import("x")` with a literal specifier. */
function moduleLoad(node: TS.Node): { call: TS.CallExpression; kind: "cjs" | "dynamic"; specifier: string } | undefined {
  if (!ts.isCallExpression(node) || node.arguments.length !== 1) return undefined;
  const argument = node.arguments[0];
  if (!argument || !ts.isStringLiteralLike(argument)) return undefined;
  if (node.expression.kind === ts.SyntaxKind.ImportKeyword) return { call: node, kind: "dynamic", specifier: argument.text };
  if (ts.isIdentifier(node.expression) && node.expression.text === "require") return { call: node, kind: "cjs", specifier: argument.text };
  return undefined;
}

/** What a require()/import() binds: `const x = …`, `const { a, b: c } = …`, `const chunk = require("lodash").chunk`. */
function loadedSite(call: TS.CallExpression, kind: "cjs" | "dynamic", specifier: string, lineOf: (node: TS.Node) => number): { site: ImportSite; chainStart?: TS.Expression } {
  const site: ImportSite = { kind, specifier, line: lineOf(call), typeOnly: false, names: [], bindings: [] };
  let value: TS.Node = call;
  while (ts.isAwaitExpression(value.parent) || ts.isParenthesizedExpression(value.parent)) value = value.parent;
  const parent = value.parent;
  if (ts.isVariableDeclaration(parent) && parent.initializer === value) {
    if (ts.isIdentifier(parent.name)) site.bindings.push({ local: parent.name.text, imported: "*" });
    else if (ts.isObjectBindingPattern(parent.name)) {
      for (const element of parent.name.elements) {
        if (!ts.isIdentifier(element.name)) continue;
        const imported = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
        site.bindings.push({ local: element.name.text, imported });
      }
    }
    site.names = site.bindings.map((binding) => (binding.imported === "*" ? "default" : binding.imported));
    return { site };
  }
  if (ts.isPropertyAccessExpression(parent) && parent.expression === value) {
    const declaration = parent.parent;
    if (ts.isVariableDeclaration(declaration) && declaration.initializer === parent && ts.isIdentifier(declaration.name)) {
      site.bindings.push({ local: declaration.name.text, imported: parent.name.text });
    }
    site.names = [parent.name.text];
    return { site, chainStart: value as TS.Expression };
  }
  if (ts.isCallExpression(parent) && parent.expression === value) {
    site.names = ["default"];
    return { site, chainStart: value as TS.Expression };
  }
  return { site };
}

/** The origin of a value made by calling, constructing or reading a member of an imported binding. */
function madeFrom(initializer: TS.Expression, origins: Map<string, Origin>): Origin | undefined {
  let value = initializer;
  while (ts.isAwaitExpression(value) || ts.isParenthesizedExpression(value) || ts.isNonNullExpression(value) || ts.isAsExpression(value)) value = value.expression;
  const callee = ts.isCallExpression(value) || ts.isNewExpression(value) ? value.expression : value;
  const chain: string[] = [];
  let root: TS.Expression = callee;
  while (ts.isPropertyAccessExpression(root)) {
    chain.unshift(root.name.text);
    root = root.expression;
  }
  if (!ts.isIdentifier(root)) return undefined;
  const origin = origins.get(root.text);
  if (!origin || origin.derived || origin.typeOnly) return undefined;
  if (callee === value && chain.length === 0) return undefined;
  const imported = wholeModule.has(origin.imported) ? (chain[0] ?? origin.imported) : origin.imported;
  return { specifier: origin.specifier, imported, typeOnly: false, derived: true };
}

// A declaration's own name, a property name after a dot, or a key is not a use of the binding.
function isReference(identifier: TS.Identifier): boolean {
  const parent = identifier.parent as TS.Node & { name?: TS.Node; propertyName?: TS.Node };
  if (ts.isShorthandPropertyAssignment(parent)) return true;
  if (parent.name === identifier || parent.propertyName === identifier) return false;
  if (ts.isQualifiedName(parent) && parent.right === identifier) return false;
  if (ts.isImportClause(parent) || ts.isImportSpecifier(parent) || ts.isNamespaceImport(parent) || ts.isExportSpecifier(parent)) return false;
  return true;
}

/** The use that a reference to a binding makes: its member chain and what is done with it. */
function chainUse(start: TS.Expression, origin: Origin, lineOf: (node: TS.Node) => number): UseSite[] {
  const members: string[] = [];
  let node: TS.Node = start;
  for (;;) {
    const parent: TS.Node = node.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === node) members.push(parent.name.text);
    else if (ts.isQualifiedName(parent) && parent.left === node) members.push(parent.right.text);
    else if (ts.isElementAccessExpression(parent) && parent.expression === node && ts.isStringLiteralLike(parent.argumentExpression)) members.push(parent.argumentExpression.text);
    else if (!ts.isNonNullExpression(parent)) break;
    node = parent;
  }
  const kind: UseKind = origin.typeOnly ? "type" : useKind(node);
  const whole = wholeModule.has(origin.imported) && !origin.derived;
  // The module value itself (`express()`, `const agent = require("x"); agent()`) is its default export.
  const symbol = whole ? (members[0] ?? "default") : origin.imported;
  const member = whole ? members[1] : members[0];
  const chain = whole ? members.slice(1) : members;
  const use: UseSite = { line: lineOf(start), specifier: origin.specifier, symbol, ...(member ? { member } : {}), ...(chain.length > 1 ? { chain } : {}), kind, derived: origin.derived };
  // A member of what the call made, in the same expression: `moment(d).locale("fr")`, `express().use(…)`.
  const made = node.parent;
  const after = made?.parent;
  if ((kind === "call" || kind === "construct") && member === undefined && after && ts.isPropertyAccessExpression(after) && after.expression === made) {
    return [use, { ...use, member: after.name.text, kind: useKind(after), derived: true }];
  }
  return [use];
}

function useKind(node: TS.Node): UseKind {
  const parent = node.parent;
  if ((ts.isCallExpression(parent) || ts.isTaggedTemplateExpression(parent)) && (ts.isCallExpression(parent) ? parent.expression : parent.tag) === node) return "call";
  if (ts.isNewExpression(parent) && parent.expression === node) return "construct";
  if ((ts.isJsxOpeningElement(parent) || ts.isJsxSelfClosingElement(parent)) && parent.tagName === node) return "call";
  if (ts.isExpressionWithTypeArguments(parent) && ts.isHeritageClause(parent.parent)) {
    const clause = parent.parent;
    if (clause.token === ts.SyntaxKind.ImplementsKeyword || ts.isInterfaceDeclaration(clause.parent)) return clause.token === ts.SyntaxKind.ImplementsKeyword ? "implement" : "extend";
    return "extend";
  }
  if (ts.isTypeReferenceNode(parent) || ts.isTypeQueryNode(parent) || ts.isExpressionWithTypeArguments(parent) || ts.isImportTypeNode(parent)) return "type";
  return "read";
}
