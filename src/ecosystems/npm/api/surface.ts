import { createRequire } from "node:module";
import type * as TS from "typescript";

// Required, not imported: Node's ESM loader would first scan all of typescript.js for its exports (~0.2 s).
const ts = createRequire(import.meta.url)("typescript") as typeof TS;

export type Meaning = "value" | "type" | "namespace";

/** How many arguments a call or construct signature accepts. `max` is Infinity with a rest parameter. */
export interface Arity {
  min: number;
  max: number;
}

export interface Member {
  optional: boolean;
  /** Protected or `_`-prefixed: only code that extends the class reaches it. */
  forSubclasses?: boolean;
  /** Id of the interface or class that declares it, when it is inherited from a named one. */
  owner?: string;
}

/** One public name of one entry point, with what the rules compare. */
export interface ApiSymbol {
  entry: string;
  /** "Router", "ns.member", "default", or "export=" for the module's `export =` value. */
  name: string;
  meanings: Meaning[];
  kind: string;
  /** The declaration's identity (file and position): one declaration reached through many names is one finding. */
  id: string;
  /** Normalised text of its declarations plus every private declaration they reach. */
  text: string;
  calls: Arity[];
  constructs: Arity[];
  /** Public instance members of a class or interface; static members of a class as "static x". */
  members: Map<string, Member>;
  enumMembers: string[];
  typeParameters: { required: number; total: number };
  /**
   * Ids of other public declarations this one names; `flipped` those named inside an odd number of
   * parameter lists, where values flow the other way (a parameter, not a callback's parameter).
   */
  references: Set<string>;
  flipped: Set<string>;
  straight: Set<string>;
  /** Named in the parameters of a function-typed member: a callback the package calls. */
  callbackFlipped: Set<string>;
  symbol: TS.Symbol;
}

const maxNamespaceDepth = 3;

/**
 * Every export of every entry point of one version, keyed "entry#name". `checkpoint` is called between
 * symbols (it throws when the pair's budget is spent). With `select`, only the exports of those names
 * and the public declarations they reach (cost follows usage: what the project's code uses).
 */
export function extractSurface(checker: TS.TypeChecker, program: TS.Program, entries: { subpath: string; file: string }[], root: string, checkpoint: () => void = () => undefined, select?: ReadonlySet<string>): Map<string, ApiSymbol> {
  const found: { entry: string; name: string; symbol: TS.Symbol }[] = [];
  for (const entry of entries) {
    const sourceFile = program.getSourceFile(`${root}/${entry.file}`);
    const moduleSymbol = sourceFile && checker.getSymbolAtLocation(sourceFile);
    if (!moduleSymbol) continue;
    const assignment = moduleSymbol.exports?.get("export=" as TS.__String);
    const exportAssigned = assignment && (assignment.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(assignment) : assignment);
    if (exportAssigned && exportAssigned.flags & ts.SymbolFlags.Value) found.push({ entry: entry.subpath, name: "export=", symbol: exportAssigned });
    walk(checker, checker.getExportsOfModule(moduleSymbol), entry.subpath, "", 0, found);
  }
  const publicIds = new Set(found.map((item) => idOf(item.symbol)));
  const surface = new Map<string, ApiSymbol>();
  const described = descriptions(checker, root);
  const add = ({ entry, name, symbol }: (typeof found)[number]) => {
    let description = described.get(symbol);
    if (!description) {
      checkpoint();
      description = { meanings: meaningsOf(symbol), kind: kindOf(symbol), id: idOf(symbol), ...describe(checker, symbol, publicIds, `${root}/`), ...shape(checker, symbol), symbol };
      described.set(symbol, description);
    }
    surface.set(`${entry}#${name}`, { entry, name, ...description });
    return description;
  };
  if (!select) {
    for (const item of found) add(item);
    return surface;
  }
  // The selected names, then every public declaration their declarations name, transitively.
  const byId = new Map<string, (typeof found)[number][]>();
  for (const item of found) byId.set(idOf(item.symbol), [...(byId.get(idOf(item.symbol)) ?? []), item]);
  // A used chain is seeded at the longest name the surface has: `SplitChunksPlugin.prototype`-like chains
  // into a class stop at the class ("Router.get" → "Router"); "default.x" on an `export =` module at "export=".
  const names = new Set(found.map((item) => item.name));
  const seeds = new Set<string>();
  for (const wanted of select) {
    const parts = wanted.split(".");
    for (let length = parts.length; length > 0; length--) {
      const name = parts.slice(0, length).join(".");
      if (names.has(name)) {
        seeds.add(name);
        break;
      }
    }
  }
  const queue = found.filter((item) => seeds.has(item.name));
  const reached = new Set<string>(queue.map((item) => idOf(item.symbol)));
  for (let item = queue.shift(); item; item = queue.shift()) {
    for (const id of add(item).references) {
      if (reached.has(id)) continue;
      reached.add(id);
      queue.push(...(byId.get(id) ?? []));
    }
  }
  // Every name of a reached declaration is in the surface (one declaration exported under two names).
  for (const id of reached) for (const item of byId.get(id) ?? []) if (!surface.has(`${item.entry}#${item.name}`)) add(item);
  return surface;
}

type Description = Omit<ApiSymbol, "entry" | "name">;
const descriptionsByChecker = new WeakMap<TS.TypeChecker, Map<string, Map<TS.Symbol, Description>>>();

// One declaration re-exported by many entry points (a wildcard "./*" over an index) is described once,
// and so is one a second extraction of the same version reaches again (the names the other version added).
function descriptions(checker: TS.TypeChecker, root: string): Map<TS.Symbol, Description> {
  let byRoot = descriptionsByChecker.get(checker);
  if (!byRoot) descriptionsByChecker.set(checker, (byRoot = new Map()));
  let known = byRoot.get(root);
  if (!known) byRoot.set(root, (known = new Map()));
  return known;
}

function walk(checker: TS.TypeChecker, symbols: TS.Symbol[], entry: string, prefix: string, depth: number, found: { entry: string; name: string; symbol: TS.Symbol }[]): void {
  for (const exported of symbols) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!symbol.declarations?.length) continue;
    const name = `${prefix}${exported.name}`;
    found.push({ entry, name, symbol });
    const isNamespace = symbol.declarations.some(ts.isModuleDeclaration);
    if (isNamespace && depth < maxNamespaceDepth) walk(checker, checker.getExportsOfModule(symbol), entry, `${name}.`, depth + 1, found);
  }
}

export function idOf(symbol: TS.Symbol): string {
  const declaration = symbol.declarations?.[0];
  return declaration ? `${declaration.getSourceFile().fileName}:${declaration.pos}` : symbol.name;
}

function meaningsOf(symbol: TS.Symbol): Meaning[] {
  const meanings: Meaning[] = [];
  if (symbol.flags & ts.SymbolFlags.Value && !symbol.declarations?.every(ts.isModuleDeclaration)) meanings.push("value");
  if (symbol.flags & ts.SymbolFlags.Type) meanings.push("type");
  if (symbol.flags & ts.SymbolFlags.Namespace) meanings.push("namespace");
  return meanings;
}

function kindOf(symbol: TS.Symbol): string {
  const flags = symbol.flags;
  if (flags & ts.SymbolFlags.Class) return "class";
  if (flags & ts.SymbolFlags.Enum) return "enum";
  if (flags & ts.SymbolFlags.Function) return "function";
  if (flags & ts.SymbolFlags.Interface) return "interface";
  if (flags & ts.SymbolFlags.TypeAlias) return "type";
  if (flags & ts.SymbolFlags.Variable) return "variable";
  if (flags & ts.SymbolFlags.Namespace) return "namespace";
  return "other";
}

// Text of the symbol's declarations and of the private declarations they reach; public ones are
// referenced by id instead, so a change is reported where it was made, not at every user of it.
function describe(checker: TS.TypeChecker, symbol: TS.Symbol, publicIds: ReadonlySet<string>, root: string) {
  const references = new Set<string>();
  const flipped = new Set<string>();
  const straight = new Set<string>();
  const callbackFlipped = new Set<string>();
  const texts: string[] = [];
  const seen = new Set<TS.Declaration>();
  // Private declarations are walked after the current one, not inside it, to keep the stack shallow.
  const pending: [TS.Node, number, boolean][] = [];
  const walk = (node: TS.Node, parameterDepth: number, callback: boolean): void => {
    for (const name of typeNamesIn(checker, node)) {
      const depth = parameterDepth + name.depth;
      const inCallback = name.callback ?? callback;
      for (const [declaration, file] of name.declarations) {
        if (!file.startsWith(root)) continue;
        const id = name.id;
        if (publicIds.has(id)) {
          references.add(id);
          (depth % 2 === 0 ? straight : inCallback ? callbackFlipped : flipped).add(id);
        } else if (!seen.has(declaration)) {
          seen.add(declaration);
          texts.push(normalise(declaration));
          pending.push([declaration, depth, inCallback]);
        }
      }
    }
  };
  for (const declaration of symbol.declarations ?? []) {
    seen.add(declaration);
    texts.unshift(normalise(declaration));
    walk(declaration, 0, false);
  }
  for (let next = pending.pop(); next; next = pending.pop()) walk(...next);
  for (const set of [references, flipped, straight, callbackFlipped]) set.delete(idOf(symbol));
  return { text: texts.join("\n"), references, flipped, straight, callbackFlipped };
}

/** A name in a type position inside a declaration, and how many parameter lists deep it sits there. */
interface TypeName {
  /** The declarations of what it names, each with its file. */
  declarations: [TS.Declaration, string][];
  /** idOf what it names. */
  id: string;
  depth: number;
  /** Inside a parameter of a function type (a callback) rather than of a method or function; undefined: as the declaration itself is. */
  callback: boolean | undefined;
}

// A private declaration reached from many exports is walked (and its names resolved) once per program.
const typeNames = new WeakMap<TS.TypeChecker, WeakMap<TS.Node, TypeName[]>>();

function typeNamesIn(checker: TS.TypeChecker, declaration: TS.Node): TypeName[] {
  let known = typeNames.get(checker);
  if (!known) typeNames.set(checker, (known = new WeakMap()));
  const cached = known.get(declaration);
  if (cached) return cached;
  const found: TypeName[] = [];
  const visit = (node: TS.Node, parameterDepth: number, callback: boolean | undefined): void => {
    const isParameter = ts.isParameter(node);
    const depth = isParameter ? parameterDepth + 1 : parameterDepth;
    const inCallback = isParameter ? ts.isFunctionTypeNode(node.parent) || ts.isConstructorTypeNode(node.parent) : callback;
    const target = ts.isIdentifier(node) && isTypePosition(node) ? resolve(checker, node) : undefined;
    if (target?.declarations?.length) {
      found.push({ declarations: target.declarations.map((declaration) => [declaration, declaration.getSourceFile().fileName]), id: idOf(target), depth, callback: inCallback });
    }
    ts.forEachChild(node, (child) => visit(child, depth, inCallback));
  };
  ts.forEachChild(declaration, (child) => visit(child, 0, undefined));
  known.set(declaration, found);
  return found;
}

function isTypePosition(node: TS.Identifier): boolean {
  const parent = node.parent;
  return ts.isTypeReferenceNode(parent) || ts.isExpressionWithTypeArguments(parent) || ts.isTypeQueryNode(parent) || ts.isQualifiedName(parent) || ts.isHeritageClause(parent.parent);
}

function resolve(checker: TS.TypeChecker, node: TS.Identifier): TS.Symbol | undefined {
  const symbol = checker.getSymbolAtLocation(node);
  return symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

// A private declaration reached from many exports is read once.
const normalised = new WeakMap<TS.Node, string>();
const scanner = ts.createScanner(ts.ScriptTarget.Latest, false);
const trivia = new Set([ts.SyntaxKind.SingleLineCommentTrivia, ts.SyntaxKind.MultiLineCommentTrivia, ts.SyntaxKind.WhitespaceTrivia, ts.SyntaxKind.NewLineTrivia]);

/**
 * A declaration's text as published, without its comments and with each run of whitespace one space:
 * what two versions' declarations are compared by, and what a finding quotes. Read from the tokens, not
 * printed from the tree (printing was a ninth of the analysis thread's time on a 42-pair review).
 */
export function normalise(node: TS.Node): string {
  let text = normalised.get(node);
  if (text === undefined) {
    const file = node.getSourceFile();
    text = withoutComments(file.text, node.getStart(file), node.end);
    normalised.set(node, text);
  }
  return text;
}

function withoutComments(source: string, start: number, end: number): string {
  scanner.setText(source, start, end - start);
  const parts: string[] = [];
  // For each open brace, whether it is a template literal's `${`: its `}` goes on with the template.
  const braces: boolean[] = [];
  let space = false;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (trivia.has(token)) {
      space = parts.length > 0;
      continue;
    }
    if (token === ts.SyntaxKind.TemplateHead) braces.push(true);
    else if (token === ts.SyntaxKind.OpenBraceToken) braces.push(false);
    else if (token === ts.SyntaxKind.CloseBraceToken && braces.pop() === true && scanner.reScanTemplateToken(false) === ts.SyntaxKind.TemplateMiddle) braces.push(true);
    if (space) parts.push(" ");
    space = false;
    parts.push(scanner.getTokenText());
  }
  return parts.join("");
}

function shape(checker: TS.TypeChecker, symbol: TS.Symbol) {
  const members = new Map<string, Member>();
  const enumMembers: string[] = [];
  let calls: Arity[] = [];
  let constructs: Arity[] = [];
  const declared = symbol.flags & ts.SymbolFlags.Type ? checker.getDeclaredTypeOfSymbol(symbol) : undefined;
  // A union of primitives has no members to compare. A union of object types (what TypeScript makes
  // of `{…} & ({ a } | { b })`, helmet 6.2's options) has the members common to all of them.
  // Arrays and tuples: their members are the standard library's, not the package's.
  const objectUnion = declared?.isUnion() === true && declared.types.every((member) => (member.flags & ts.TypeFlags.Object) !== 0 || member.isIntersection());
  if (declared && (declared.flags & ts.TypeFlags.Object || declared.isIntersection() || objectUnion) && !isArrayLike(checker, declared)) {
    for (const property of checker.getPropertiesOfType(declared)) {
      const name = memberName(property);
      if (name && isPublic(property)) members.set(name, { optional: (property.flags & ts.SymbolFlags.Optional) !== 0, ...(forSubclasses(property) ? { forSubclasses: true } : {}), ...ownerOf(checker, property) });
    }
  }
  if (symbol.flags & ts.SymbolFlags.Enum) enumMembers.push(...checker.getExportsOfModule(symbol).map((member) => member.name));
  if (symbol.flags & ts.SymbolFlags.Value && !(symbol.flags & ts.SymbolFlags.Enum)) {
    const type = checker.getTypeOfSymbol(symbol);
    calls = type.getCallSignatures().map((signature) => arity(checker, signature));
    constructs = type.getConstructSignatures().map((signature) => arity(checker, signature));
    if (symbol.flags & ts.SymbolFlags.Class) {
      for (const property of checker.getPropertiesOfType(type)) {
        const name = memberName(property);
        if (name && property.name !== "prototype" && isPublic(property)) members.set(`static ${name}`, { optional: (property.flags & ts.SymbolFlags.Optional) !== 0 });
      }
    }
  }
  return { members, enumMembers, calls, constructs, typeParameters: typeParametersOf(symbol) };
}

// isArrayLikeType is an assignability check against ReadonlyArray: asked only of a type with an array's
// length and slice.
function isArrayLike(checker: TS.TypeChecker, type: TS.Type): boolean {
  return checker.getPropertyOfType(type, "length") !== undefined && checker.getPropertyOfType(type, "slice") !== undefined && checker.isArrayLikeType(type);
}

function arity(checker: TS.TypeChecker, signature: TS.Signature): Arity {
  let min = 0;
  let max = 0;
  for (const parameter of signature.getParameters()) {
    const declaration = parameter.valueDeclaration;
    if (declaration && ts.isParameter(declaration) && declaration.dotDotDotToken) return { min, max: Number.POSITIVE_INFINITY };
    max++;
    if (!(declaration && ts.isParameter(declaration) && checker.isOptionalParameter(declaration))) min = max;
  }
  return { min, max };
}

function typeParametersOf(symbol: TS.Symbol): { required: number; total: number } {
  for (const declaration of symbol.declarations ?? []) {
    const parameters = (declaration as TS.DeclarationWithTypeParameterChildren).typeParameters;
    if (parameters && (ts.isInterfaceDeclaration(declaration) || ts.isClassDeclaration(declaration) || ts.isTypeAliasDeclaration(declaration))) {
      return { required: parameters.filter((parameter) => !parameter.default).length, total: parameters.length };
    }
  }
  return { required: 0, total: 0 };
}

function ownerOf(checker: TS.TypeChecker, property: TS.Symbol): { owner?: string } {
  const parent = property.declarations?.[0]?.parent;
  if (!parent || !(ts.isInterfaceDeclaration(parent) || ts.isClassDeclaration(parent)) || !parent.name) return {};
  const symbol = checker.getSymbolAtLocation(parent.name);
  return symbol ? { owner: idOf(symbol) } : {};
}

function forSubclasses(property: TS.Symbol): boolean {
  const declaration = property.valueDeclaration ?? property.declarations?.[0];
  return property.name.startsWith("_") || (declaration !== undefined && (ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Protected) !== 0);
}

function isPublic(property: TS.Symbol): boolean {
  if (property.name.startsWith("#")) return false;
  const declaration = property.valueDeclaration ?? property.declarations?.[0];
  return !declaration || !(ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Private);
}

// A member keyed by a unique symbol is named "__@name@<id>", and the id differs between the two
// versions. Well-known symbols (Symbol.iterator…) are public; a package's own unique symbols are
// brands nobody outside can name (type-fest's tags), so they are not members callers use.
const wellKnownSymbols = new Set(["iterator", "asyncIterator", "hasInstance", "isConcatSpreadable", "match", "matchAll", "replace", "search", "species", "split", "toPrimitive", "toStringTag", "unscopables", "dispose", "asyncDispose", "metadata"]);

function memberName(property: TS.Symbol): string | undefined {
  const unique = /^__@(.+)@\d+$/.exec(property.escapedName as string);
  if (!unique) return property.name;
  return unique[1] && wellKnownSymbols.has(unique[1]) ? `[Symbol.${unique[1]}]` : undefined;
}

export type Polarity = "input" | "output";

/**
 * Which way values of each public declaration flow between callers and the package. Exported values
 * are received (output); what their parameters name is passed in (input), a callback's parameters
 * are received again, and so on through every declaration reached. Unreached ones are absent.
 */
export function polarities(surface: ReadonlyMap<string, ApiSymbol>): Map<string, Set<Polarity>> {
  const byId = new Map([...surface.values()].map((symbol) => [symbol.id, symbol]));
  const result = new Map<string, Set<Polarity>>();
  const queue: [string, Polarity][] = [...surface.values()].filter((symbol) => symbol.meanings.includes("value")).map((symbol) => [symbol.id, "output"]);
  for (let next = queue.pop(); next; next = queue.pop()) {
    const [id, polarity] = next;
    const seen = result.get(id) ?? new Set<Polarity>();
    if (seen.has(polarity)) continue;
    seen.add(polarity);
    result.set(id, seen);
    const symbol = byId.get(id);
    for (const reference of symbol?.straight ?? []) queue.push([reference, polarity]);
    for (const reference of symbol?.flipped ?? []) queue.push([reference, polarity === "input" ? "output" : "input"]);
    // Callers rarely call the callbacks held by objects they receive; they do write the ones they pass in.
    if (polarity === "input") for (const reference of symbol?.callbackFlipped ?? []) queue.push([reference, "output"]);
  }
  return result;
}
