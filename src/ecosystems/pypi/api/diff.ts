import { place, places } from "../../../analysis/project-view.js";
import type { Signal } from "../../../types.js";
import type { PackageUsage, UseSite } from "../../../usage/types.js";
import { type Definition, type ModuleSurface, type PackageSurface, type Parameter, resolve } from "./surface.js";

type Site = UseSite & { file: string };

/**
 * The public API changes between two wheels that reach the project's use sites: a name it uses gone,
 * a keyword it passes removed, a parameter it does not pass now required, a default it relies on
 * changed, a method it calls no longer on the class. Only what the code uses is judged.
 */
export function pythonApiSignals(before: PackageSurface, after: PackageSurface, usage: PackageUsage, to: string): { signals: Signal[]; affectsYou: boolean | null } {
  const { old, now, skipped } = likeWithLike(before, after);
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
    const unmatched = skipped.get(site.specifier);
    if (unmatched) add(`stub:${site.specifier}`, signal("py-stub-vs-source", "info", `${site.specifier} was not compared: ${unmatched === "before" ? "the old version ships a .pyi stub and the new one only its .py source" : "the new version ships a .pyi stub and the old one only its .py source"}`, [site.specifier]), site);
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

/**
 * The modules to compare, like with like: stubs when both versions ship a .pyi, sources when both
 * ship the .py. A module only stubbed on one side and only a source on the other is left out of both
 * (`skipped` says which side had the stub): a stub's `def f(x: int = ...) -> None: ...` against a
 * source's `try: from ._c import f` is not an API change.
 */
function likeWithLike(before: PackageSurface, after: PackageSurface): { old: Map<string, ModuleSurface>; now: Map<string, ModuleSurface>; skipped: Map<string, "before" | "after"> } {
  const split = (surface: PackageSurface) => {
    const stubs = new Map<string, ModuleSurface>();
    const sources = new Map<string, ModuleSurface>();
    for (const [module, read] of surface) (read.from === "stub" ? stubs : sources).set(module, read);
    return { stubs, sources };
  };
  const was = split(before);
  const is = split(after);
  const old = new Map<string, ModuleSurface>();
  const now = new Map<string, ModuleSurface>();
  const skipped = new Map<string, "before" | "after">();
  for (const module of new Set([...before.map(([name]) => name), ...after.map(([name]) => name)])) {
    const stubs = [was.stubs.get(module), is.stubs.get(module)] as const;
    const sources = [was.sources.get(module), is.sources.get(module)] as const;
    const pick = stubs[0] && stubs[1] ? stubs : (stubs[0] || stubs[1]) && sources[0] && sources[1] ? sources : !stubs[0] && !stubs[1] ? sources : undefined;
    if (pick) {
      if (pick[0]) old.set(module, pick[0]);
      if (pick[1]) now.set(module, pick[1]);
    } else if (stubs[0] && !sources[0] && sources[1] && !stubs[1]) skipped.set(module, "before");
    else if (stubs[1] && !sources[1] && sources[0] && !stubs[0]) skipped.set(module, "after");
    else {
      // Only on one side: its own reading (a module added or removed).
      const only = stubs[0] ?? sources[0];
      if (only) old.set(module, only);
      const later = stubs[1] ?? sources[1];
      if (later) now.set(module, later);
    }
  }
  return { old, now, skipped };
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

// Markers for "not given" (openai's NOT_GIVEN → not_given / omit in 1.109, pydantic's _Unset, dataclasses' MISSING):
// one marker for another leaves the call unchanged.
const sentinelNames = new Set(["notgiven", "omit", "omitted", "unset", "missing", "sentinel", "undefined", "notset", "nodefault", "usedefault", "useclientdefault", "default", "nothing"]);
function isSentinel(text: string): boolean {
  const value = text.trim();
  if (value === "...") return true;
  const name = /^(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)(?:\(\))?$/.exec(value)?.[1];
  return name !== undefined && sentinelNames.has(name.replace(/_/g, "").toLowerCase());
}

// A shared mutable default (`{}`, `[]`) that became None, where the body makes the value itself.
function emptyToHandledNone(before: string, after: Parameter): boolean {
  return /^(?:\{\}|\[\]|\(\)|dict\(\)|list\(\)|set\(\)|tuple\(\))$/.test(before.replace(/\s+/g, "")) && after.default === "None" && after.handlesNone === true;
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
      const same = isSentinel(parameter.default) && isSentinel(still.default) ? " (both mark \"not given\")" : emptyToHandledNone(parameter.default, still) ? " (the function makes the empty value itself)" : undefined;
      findings.push({ rule: "py-default-changed", severity: same ? "info" : "risky", parameter: parameter.name, message: `the default of \`${parameter.name}\` changed from ${parameter.default} to ${still.default}${same ?? ", and this call relies on it"}` });
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

