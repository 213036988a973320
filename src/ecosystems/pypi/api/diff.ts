import { place, places } from "../../../analysis/project-view.js";
import type { Signal } from "../../../types.js";
import type { PackageUsage, UseSite } from "../../../usage/types.js";
import { type Definition, type PackageSurface, type Parameter, resolve } from "./surface.js";

type Site = UseSite & { file: string };

/**
 * The public API changes between two wheels that reach the project's use sites: a name it uses gone,
 * a keyword it passes removed, a parameter it does not pass now required, a default it relies on
 * changed, a method it calls no longer on the class. Only what the code uses is judged.
 */
export function pythonApiSignals(before: PackageSurface, after: PackageSurface, usage: PackageUsage, to: string): { signals: Signal[]; affectsYou: boolean | null } {
  const old = new Map(before);
  const now = new Map(after);
  const found = new Map<string, Signal>();
  const add = (key: string, signal: Signal, site: Site) => {
    const existing = found.get(key);
    const touch = { file: site.file, line: site.line };
    if (existing) existing.touches = [...(existing.touches ?? []), touch];
    // A name the code imports that the new wheel no longer defines, or a call that no longer fits the new
    // signature, fails at that use site: a fact of the two wheels. What may still be inherited is a reading.
    else found.set(key, { ...signal, touches: [touch], fact: `used at ${place(site)}`, strength: signal.severity === "breaking" ? "fact" : "inferred" });
  };
  for (const site of usage.sites) {
    const was = resolve(old, site.specifier, site.symbol);
    const is = resolve(now, site.specifier, site.symbol);
    if (was === undefined || was === "missing" || is === undefined) continue;
    const name = `${site.specifier}.${site.symbol}`;
    if (is === "missing") {
      add(`removed:${name}`, signal("py-removed", "breaking", `${name} is no longer in ${to}`, [name]), site);
      continue;
    }
    if (was === "module" || is === "module") continue;
    const called = calledParameters(was, is, site);
    if (called === "method-gone") {
      const method = `${site.symbol}.${site.member}`;
      add(`method:${name}.${site.member}`, signal("py-method-removed", "risky", `${method} is no longer defined on the class in ${to} (it may still be inherited)`, [method]), site);
      continue;
    }
    if (!called) continue;
    const label = site.member ? `${site.symbol}.${site.member}` : site.symbol;
    for (const finding of compareParameters(called.before, called.after, site)) add(`${finding.rule}:${label}:${finding.parameter}`, signal(finding.rule, finding.severity, `${label}(): ${finding.message}`, [label]), site);
  }
  const signals = [...found.values()].map((item) => ({ ...item, fact: `used at ${places(item.touches ?? [])}` }));
  const affects = signals.some((item) => item.severity !== "info");
  return { signals, affectsYou: usage.sites.length === 0 ? null : affects };
}

function signal(rule: string, severity: Signal["severity"], message: string, symbols: string[]): Signal {
  return { analyzer: "api-diff", rule: `api/${rule}`, severity, message, symbols };
}

// The parameters a call site reaches: a function's, a class's __init__ when constructed, a method's on a value made from the class.
function calledParameters(was: Definition, is: Definition, site: Site): { before: Parameter[]; after: Parameter[] } | "method-gone" | undefined {
  if (site.kind !== "call" && site.kind !== "construct") return undefined;
  if (!site.derived && !site.member && was.kind === "function" && is.kind === "function") return { before: was.parameters, after: is.parameters };
  if (was.kind !== "class" || is.kind !== "class") return undefined;
  const method = site.derived ? site.member : site.member === undefined ? "__init__" : undefined;
  if (!method) return undefined;
  const before = was.methods.find(([name]) => name === method)?.[1];
  const after = is.methods.find(([name]) => name === method)?.[1];
  if (before && !after) return method === "__init__" ? undefined : "method-gone";
  return before && after ? { before, after } : undefined;
}

// `Default(None)` is FastAPI's (and others') marker for "not given", wrapping the same value.
function sameDefault(before: string, after: string): boolean {
  const unwrap = (text: string) => /^(?:Default|_Default|DefaultPlaceholder)\((.*)\)$/s.exec(text.trim())?.[1]?.trim() ?? text.trim();
  return unwrap(before) === unwrap(after);
}

interface ParameterFinding {
  rule: string;
  severity: Signal["severity"];
  parameter: string;
  message: string;
}

function compareParameters(before: Parameter[], after: Parameter[], site: Site): ParameterFinding[] {
  const findings: ParameterFinding[] = [];
  const args = site.arguments;
  const named = (list: Parameter[]) => list.filter((parameter) => parameter.kind === "positional" || parameter.kind === "keyword-only");
  const acceptsAnyKeyword = after.some((parameter) => parameter.kind === "var-keyword");
  for (const parameter of named(before)) {
    const still = after.find((candidate) => candidate.name === parameter.name);
    const passed = args?.keywords.includes(parameter.name) ?? false;
    if (!still) {
      const severity: Signal["severity"] = passed ? (acceptsAnyKeyword ? "risky" : "breaking") : "info";
      findings.push({ rule: "py-parameter-removed", severity, parameter: parameter.name, message: `the parameter \`${parameter.name}\` was removed${passed ? ", and this call passes it" : "; this call does not pass it"}${passed && acceptsAnyKeyword ? " (it now lands in **kwargs)" : ""}` });
      continue;
    }
    if (parameter.default !== null && still.default !== null && !sameDefault(parameter.default, still.default) && !passed) {
      findings.push({ rule: "py-default-changed", severity: "risky", parameter: parameter.name, message: `the default of \`${parameter.name}\` changed from ${parameter.default} to ${still.default}, and this call relies on it` });
    }
  }
  const afterNamed = named(after);
  afterNamed.forEach((parameter, index) => {
    if (parameter.default !== null) return;
    const previous = before.find((candidate) => candidate.name === parameter.name);
    if (previous && previous.default === null) return;
    const passed = (args?.keywords.includes(parameter.name) ?? false) || (parameter.kind === "positional" && (args?.positional ?? 0) > index) || (args?.spread ?? false);
    if (!args || passed) return;
    findings.push({ rule: "py-parameter-required", severity: "breaking", parameter: parameter.name, message: `\`${parameter.name}\` is now required, and this call does not pass it` });
  });
  return findings;
}

