import type { SyntaxNode } from "@lezer/common";
import { parser } from "@lezer/python";
import type { FileScan, ImportSite, UseKind, UseSite } from "../../../usage/types.js";

/** A local name bound to a module or to a name imported from one. */
interface Binding {
  module: string;
  /** The name imported from the module; undefined when the binding is the module itself. */
  imported?: string;
  /** Bound to a value made from the import (`app = FastAPI()`, `with httpx.Client() as client`). */
  derived?: { symbol: string };
}

/**
 * The imports of one Python file and every use of what they bind, through the Lezer Python parser:
 * `import a.b as c`, `from a import b as c`, `importlib.import_module("a")`; calls, attribute reads,
 * decorators (`@app.post(...)` on `app = FastAPI()`), one level of derived values. Relative imports
 * are the project's own and are skipped.
 */
export function scanPython(source: string): FileScan | { error: string } {
  const tree = parser.parse(source);
  let errors = 0;
  tree.iterate({ enter: (node) => void (node.type.isError && errors++) });
  // Lezer recovers from errors; a file that is mostly errors (Python 2, a template) is not read.
  if (errors > 20) return { error: "does not parse as Python 3" };
  const text = (node: SyntaxNode) => source.slice(node.from, node.to);
  // Line numbers by binary search over the line starts: slicing the source for every node was quadratic.
  const starts = [0];
  for (let index = source.indexOf("\n"); index !== -1; index = source.indexOf("\n", index + 1)) starts.push(index + 1);
  const lineOf = (offset: number) => {
    let [low, high] = [0, starts.length - 1];
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
  const imports: ImportSite[] = [];
  const uses: UseSite[] = [];
  const bindings = new Map<string, Binding>();
  // Every dotted module imported under a first name: `import google.auth` and `import google.oauth2` both bind "google".
  const fullModules = new Map<string, string[]>();

  tree.iterate({
    enter(ref) {
      if (ref.name !== "ImportStatement") return;
      const node = ref.node;
      const children = childrenOf(node);
      const line = lineOf(node.from);
      if (children[0]?.name === "from") {
        const importAt = children.findIndex((child) => child.name === "import");
        const moduleParts = children.slice(1, importAt);
        if (moduleParts[0]?.name === ".") return; // relative: the project's own code
        const module = moduleParts.map(text).join("");
        const site: ImportSite = { kind: "python", specifier: module, line, typeOnly: false, names: [], bindings: [] };
        for (const [name, local] of namedImports(children.slice(importAt + 1), text)) {
          site.names.push(name);
          site.bindings.push({ local, imported: name });
          bindings.set(local, { module, imported: name });
        }
        imports.push(site);
        return;
      }
      // import a.b.c [as d], e
      for (const [dotted, alias] of dottedImports(children.slice(1), text)) {
        const first = dotted.split(".")[0] ?? dotted;
        const local = alias ?? first;
        // Without an alias only the first name is bound; a.b.c stays reachable through it.
        const module = alias ? dotted : first;
        imports.push({ kind: "python", specifier: dotted, line, typeOnly: false, names: ["*"], bindings: [{ local, imported: "*" }] });
        if (!bindings.has(local) || alias) bindings.set(local, { module, ...(alias ? {} : { imported: undefined }) });
        fullModules.set(local, [...(fullModules.get(local) ?? []), dotted]);
      }
    },
  });
  // Second pass (imports first, so a use above its import in a function body still counts).
  tree.iterate({
    enter(ref) {
      const node = ref.node;
      if (ref.name === "ImportStatement") return false;
      if (ref.name === "CallExpression" && text(node.firstChild ?? node) === "importlib.import_module") {
        const argument = node.getChild("ArgList")?.getChild("String");
        const module = argument ? text(argument).replace(/^[rbuf]*["']{1,3}|["']{1,3}$/gi, "") : "";
        if (/^[A-Za-z_][\w.]*$/.test(module)) {
          imports.push({ kind: "dynamic", specifier: module, line: lineOf(node.from), typeOnly: false, names: ["*"], bindings: [] });
          const target = assignedName(node, text);
          if (target) bindings.set(target, { module });
        }
        return;
      }
      if (ref.name === "AssignStatement" || ref.name === "WithStatement") {
        deriveBindings(node, text, (chain) => {
          const use = useOf(chain, bindings, "call", 0);
          return use && !use.derived ? { module: use.specifier, derived: { symbol: use.symbol } } : undefined;
        }, bindings);
        return;
      }
      if (ref.name === "Decorator") {
        const names = childrenOf(node).filter((child) => child.name === "VariableName").map(text);
        const use = useOf(names, bindings, "call", lineOf(node.from));
        const list = node.getChild("ArgList");
        if (use) uses.push(list ? { ...use, arguments: argumentsOf(list, text) } : use);
        return false;
      }
      if (ref.name !== "MemberExpression" && ref.name !== "VariableName") return;
      // The outermost member chain on a bound name: `google.auth.transport.requests.Request()`.
      if (node.parent?.name === "MemberExpression" && node.parent.firstChild?.from === node.from) return;
      const chain = memberChain(node, text);
      if (!chain || !bindings.has(chain[0] as string) || isBindingSite(node)) return;
      const parent = node.parent;
      const kind: UseKind = parent?.name === "TypeDef" ? "type" : parent?.name === "CallExpression" && parent.firstChild?.from === node.from ? (/^[A-Z]/.test(chain.at(-1) ?? "") ? "construct" : "call") : "read";
      const use = useOf(chain, bindings, kind, lineOf(node.from));
      const list = kind === "call" || kind === "construct" ? parent?.getChild("ArgList") : null;
      if (use) uses.push(list ? { ...use, arguments: argumentsOf(list, text) } : use);
      return false;
    },
  });
  return { imports, uses };

  // The use a chain of names on a binding makes, with its symbol relative to the imported module.
  function useOf(chain: string[], known: Map<string, Binding>, kind: UseKind, line: number): UseSite | undefined {
    const [head, ...rest] = chain;
    const binding = head ? known.get(head) : undefined;
    if (!binding || !head) return undefined;
    if (binding.derived) return { line, specifier: binding.module, symbol: binding.derived.symbol, ...(rest[0] ? { member: rest[0] } : {}), kind, derived: true };
    if (binding.imported) return { line, specifier: binding.module, symbol: binding.imported, ...(rest[0] ? { member: rest[0] } : {}), kind, derived: false };
    // A module binding: the longest imported module the chain names, then the symbol after it.
    const dotted = [head, ...rest].join(".");
    const module = [...(fullModules.get(head) ?? []), binding.module].filter((candidate) => dotted === candidate || dotted.startsWith(`${candidate}.`)).sort((a, b) => b.length - a.length)[0] ?? binding.module;
    const after = dotted === module ? [] : dotted.slice(module.length + 1).split(".");
    if (after.length === 0) return undefined;
    return { line, specifier: module, symbol: after[0] as string, ...(after[1] ? { member: after[1] } : {}), kind, derived: false };
  }
}

// `f(a, b, key=1, *rest)`: 2 positional, keyword "key", spread.
function argumentsOf(list: SyntaxNode, text: (node: SyntaxNode) => string): NonNullable<UseSite["arguments"]> {
  const result = { positional: 0, keywords: [] as string[], spread: false };
  let atStart = true;
  for (let child = list.firstChild; child; child = child.nextSibling) {
    if (child.name === "(" || child.name === ")") continue;
    if (child.name === ",") {
      atStart = true;
      continue;
    }
    if (!atStart) continue;
    atStart = false;
    if (child.name === "*" || child.name === "**") result.spread = true;
    else if (child.name === "VariableName" && child.nextSibling?.name === "AssignOp") result.keywords.push(text(child));
    else result.positional++;
  }
  return result;
}

function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const children: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) children.push(child);
  return children;
}

// `b, c as d` → [["b","b"], ["c","d"]]; `(b, c)` and `*` handled.
function namedImports(nodes: SyntaxNode[], text: (node: SyntaxNode) => string): [string, string][] {
  const result: [string, string][] = [];
  for (let index = 0; index < nodes.length; index++) {
    const node = nodes[index] as SyntaxNode;
    if (node.name !== "VariableName") continue;
    const alias = nodes[index + 1]?.name === "as" ? nodes[index + 2] : undefined;
    result.push([text(node), alias ? text(alias) : text(node)]);
    if (alias) index += 2;
  }
  return result;
}

// `a.b.c as d, e` → [["a.b.c","d"], ["e", undefined]]
function dottedImports(nodes: SyntaxNode[], text: (node: SyntaxNode) => string): [string, string | undefined][] {
  const result: [string, string | undefined][] = [];
  let current = "";
  for (let index = 0; index < nodes.length; index++) {
    const node = nodes[index] as SyntaxNode;
    if (node.name === "VariableName" || node.name === ".") current += text(node);
    else if (node.name === "as") {
      result.push([current, text(nodes[index + 1] as SyntaxNode)]);
      current = "";
      index++;
    } else if (node.name === "," && current) {
      result.push([current, undefined]);
      current = "";
    }
  }
  if (current) result.push([current, undefined]);
  return result;
}

// `a.b.c` as ["a","b","c"]; undefined when the chain does not start with a plain name.
function memberChain(node: SyntaxNode, text: (node: SyntaxNode) => string): string[] | undefined {
  if (node.name === "VariableName") return [text(node)];
  if (node.name !== "MemberExpression") return undefined;
  const object = node.firstChild;
  const property = node.lastChild;
  if (!object || !property || property.name !== "PropertyName") return undefined;
  const head = memberChain(object, text);
  return head ? [...head, text(property)] : undefined;
}

// The target of an assignment or `with … as` is a new binding, not a use.
function isBindingSite(node: SyntaxNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.name === "AssignStatement") return parent.firstChild?.from === node.from && node.nextSibling?.name === "AssignOp";
  if (parent.name === "WithStatement" || parent.name === "ForStatement") return node.prevSibling?.name === "as" || parent.name === "ForStatement" && node.nextSibling?.name === "in";
  return false;
}

function assignedName(call: SyntaxNode, text: (node: SyntaxNode) => string): string | undefined {
  const parent = call.parent;
  if (parent?.name !== "AssignStatement" || parent.firstChild?.name !== "VariableName") return undefined;
  return text(parent.firstChild);
}

// `app = FastAPI()` / `client = httpx.Client()` / `with httpx.AsyncClient() as client:` bind a derived value.
function deriveBindings(node: SyntaxNode, text: (node: SyntaxNode) => string, resolve: (chain: string[]) => Binding | undefined, bindings: Map<string, Binding>): void {
  const children = childrenOf(node);
  const pairs: [SyntaxNode | undefined, SyntaxNode | undefined][] = node.name === "AssignStatement"
    ? [[children[2], children[0]]]
    : children.flatMap((child, index) => (child.name === "as" ? [[children[index - 1], children[index + 1]] as [SyntaxNode | undefined, SyntaxNode | undefined]] : []));
  for (const [value, target] of pairs) {
    const call = value?.name === "AwaitExpression" ? value.lastChild : value;
    if (!target || target.name !== "VariableName" || call?.name !== "CallExpression" || !call.firstChild) continue;
    const chain = memberChain(call.firstChild, text);
    const derived = chain ? resolve(chain) : undefined;
    if (derived) bindings.set(text(target), derived);
  }
}
