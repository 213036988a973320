import type * as TS from "typescript";
import { display } from "./rules.js";
import type { ApiSymbol } from "./surface.js";
import type { ApiFinding } from "../../../analysis/api-diff.js";

/** One pair of corresponding declarations whose text differs, and which way old uses flow. */
export interface ChangedPair {
  before: ApiSymbol;
  after: ApiSymbol;
  /** input: callers build values of it (old values must still fit); output: callers receive it. */
  polarity: "input" | "output";
}

export interface CompareSource {
  text: string;
  /** Line (0-based) of each check → the pair it checks. */
  checks: Map<number, ChangedPair>;
}

const identifier = /^[A-Za-z_$][\w$]*$/;

/**
 * A TypeScript file that asks the checker "do old uses still compile?" for each changed pair:
 * a value's new type must be assignable to its old type (old callers and readers keep working);
 * an input type must accept old values, an output type must fit where old ones went.
 */
export function compareSource(pairs: ChangedPair[], specifiers: Map<string, { from: string; to: string }>): CompareSource {
  const lines: string[] = [];
  const aliases = new Map<string, number>();
  for (const [entry, { from, to }] of specifiers) {
    const index = aliases.size;
    aliases.set(entry, index);
    lines.push(`import O${index} = require(${JSON.stringify(from)});`, `import N${index} = require(${JSON.stringify(to)});`);
  }
  const checks = new Map<number, ChangedPair>();
  for (const pair of pairs) {
    const index = aliases.get(pair.before.entry);
    const check = index === undefined ? undefined : checkFor(pair, index, checks.size);
    if (!check) continue;
    checks.set(lines.length, pair);
    // The checker looks for cancellation at an interface declaration: one per check lets a budget stop it between checks.
    lines.push(`interface Stop${checks.size} {} ${check}`);
  }
  return { text: `${lines.join("\n")}\n`, checks };
}

function checkFor({ before, after, polarity }: ChangedPair, index: number, n: number): string | undefined {
  const path = (side: "O" | "N") => (before.name === "export=" ? `${side}${index}` : `${side}${index}.${before.name}`);
  if (before.name !== "export=" && !before.name.split(".").every((part) => identifier.test(part))) return undefined;
  // Enums and unique symbols are nominal: two declarations never match, whatever they say.
  if (before.kind === "enum" || after.kind === "enum") return undefined;
  if (before.meanings.includes("value") && after.meanings.includes("value")) return `const c${n}: typeof ${path("O")} = ${path("N")};`;
  if (!before.meanings.includes("type") || !after.meanings.includes("type")) return undefined;
  const old = `${path("O")}${typeArguments(before.typeParameters.total)}`;
  const now = `${path("N")}${typeArguments(after.typeParameters.total)}`;
  return polarity === "input" ? `declare let o${n}: ${old}; const c${n}: ${now} = o${n};` : `declare let n${n}: ${now}; const c${n}: ${old} = n${n};`;
}

function typeArguments(count: number): string {
  return count === 0 ? "" : `<${Array.from({ length: count }, () => "any").join(", ")}>`;
}

/**
 * The checker's verdict on each check, as review findings; mismatches of corresponding private or nominal
 * declarations are dropped. `checkpoint` throws when the budget is spent; the checker calls it between checks.
 */
export function reviewFindings(program: TS.Program, file: string, checks: Map<number, ChangedPair>, checkpoint: () => void = () => undefined): ApiFinding[] {
  const sourceFile = program.getSourceFile(file);
  if (!sourceFile) return [];
  const findings = new Map<ChangedPair, ApiFinding>();
  const cancellation: TS.CancellationToken = {
    isCancellationRequested: () => false,
    throwIfCancellationRequested: checkpoint,
  };
  for (const diagnostic of program.getSemanticDiagnostics(sourceFile, cancellation)) {
    if (diagnostic.start === undefined) continue;
    const pair = checks.get(sourceFile.getLineAndCharacterOfPosition(diagnostic.start).line);
    if (!pair || findings.has(pair) || !assignabilityCodes.has(diagnostic.code)) continue;
    const chain = messageChain(diagnostic.messageText);
    if (isNominalMismatch(chain.at(-1) ?? "")) continue;
    const name = display(pair.before);
    const what = pair.before.meanings.includes("value") ? "values of the new type no longer fit where the old ones went" : pair.polarity === "input" ? "values built for the old type are not accepted by the new one" : "the new type does not fit where the old one was used";
    findings.set(pair, { rule: "api/type-incompatible", tier: "review", symbol: name, message: `${name} changed: ${what}`, detail: summarise(chain) });
  }
  return [...findings.values()];
}

function messageChain(message: string | TS.DiagnosticMessageChain): string[] {
  const chain: string[] = [];
  let level: string | TS.DiagnosticMessageChain | undefined = message;
  while (level !== undefined) {
    if (typeof level === "string") {
      chain.push(strip(level));
      break;
    }
    chain.push(strip(level.messageText));
    level = level.next?.[0];
  }
  return chain;
}

// import("/__bumpwise__/to/node_modules/pkg/index").Options → Options
function strip(message: string): string {
  return message.replace(/import\("[^"]*"\)\./g, "").replace(/typeof import\("[^"]*"\)/g, "module");
}

// "not assignable", "missing properties", "no properties in common": the checks' own failures. Any
// other diagnostic (a name the check could not reach) says nothing about compatibility.
const assignabilityCodes = new Set([2322, 2326, 2328, 2559, 2739, 2740, 2741]);

function isNominalMismatch(deepest: string): boolean {
  if (/private|protected/.test(deepest)) return true;
  // Two versions' type parameters are distinct types to the checker, however alike.
  if (deepest.includes("could be instantiated with an arbitrary type")) return true;
  // The same name on both sides (or among the target's union members): two corresponding declarations
  // the checker cannot equate, not a change anyone can see in either declaration.
  const match = /^Type '(.+)' is not assignable to type '(.+)'\.$/.exec(deepest);
  return match?.[1] !== undefined && (match[1] === match[2] || (match[2] ?? "").split(" | ").includes(match[1]));
}

const maxDetailChars = 400;

function summarise(chain: string[]): string {
  const parts = chain.length > 2 ? [chain[0], chain.at(-1)] : chain;
  const text = parts.join(" … ");
  return text.length > maxDetailChars ? `${text.slice(0, maxDetailChars)}…` : text;
}
