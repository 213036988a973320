// The region check an editor runs on the lines on screen, for the use-site typecheck of JavaScript (proof.ts).
import { createRequire } from "node:module";
import type * as TS from "typescript";

// Required, not imported: Node's ESM loader would first scan all of typescript.js for its exports (~0.2 s).
const ts = createRequire(import.meta.url)("typescript") as typeof TS;

// The program's third argument (TypeScript 5.6+, what an editor's region check uses): the file's diagnostics
// for those statements only. A compiler that ignores it checks the whole file, which is slower, not wrong.
type RegionProgram = TS.Program & { getSemanticDiagnostics(file: TS.SourceFile, cancellation: TS.CancellationToken, nodes?: readonly TS.Node[]): readonly TS.Diagnostic[] };

export function regionDiagnostics(program: TS.Program, file: TS.SourceFile, cancellation: TS.CancellationToken, nodes: readonly TS.Node[] | undefined): readonly TS.Diagnostic[] {
  return nodes ? (program as RegionProgram).getSemanticDiagnostics(file, cancellation, nodes) : program.getSemanticDiagnostics(file, cancellation);
}

/**
 * The innermost statements (or class members) on the given 1-based lines, as an editor's region check picks
 * them: inside a function, the statements of its body on those lines, not the whole function. Undefined
 * when a line is past the end or only the whole file contains it (the whole file is then checked).
 */
export function statementsOn(file: TS.SourceFile, lines: ReadonlySet<number>): TS.Node[] | undefined {
  const found = new Set<TS.Node>();
  const lineStarts = file.getLineStarts();
  for (const line of lines) {
    const start = lineStarts[line - 1];
    if (start === undefined) return undefined;
    const end = lineStarts[line] ?? file.end;
    let enclosing: TS.Node = file;
    for (let inner: TS.Node | undefined = file; inner; ) {
      enclosing = inner;
      inner = ts.forEachChild(enclosing, (child) => (child.getStart(file) <= start && child.end >= end - 1 ? child : undefined));
    }
    const overlapping = (nodes: readonly TS.Node[]) => nodes.filter((node) => node.getStart(file) < end && node.end > start);
    const list = ts.isSourceFile(enclosing) || ts.isBlock(enclosing) || ts.isModuleBlock(enclosing) || ts.isCaseClause(enclosing) || ts.isDefaultClause(enclosing) ? enclosing.statements : ts.isClassLike(enclosing) ? enclosing.members : undefined;
    if (list) {
      for (const node of overlapping(list)) found.add(node);
      continue;
    }
    let statement: TS.Node | undefined = enclosing;
    while (statement && !ts.isSourceFile(statement) && !ts.isStatement(statement) && !ts.isClassElement(statement)) statement = statement.parent;
    if (!statement || ts.isSourceFile(statement)) return undefined;
    found.add(statement);
  }
  return found.size > 0 ? [...found] : undefined;
}
