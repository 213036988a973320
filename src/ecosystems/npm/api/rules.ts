import { countOf } from "../../../words.js";
import { type ApiSymbol, type Arity, polarities } from "./surface.js";
import type { ApiFinding } from "../../../analysis/api-diff.js";

type Surface = ReadonlyMap<string, ApiSymbol>;

/**
 * The confident tier and the additions, from the two surfaces alone (no assignability): each rule
 * here means some old use of the symbol no longer compiles, whatever its types are.
 */
export function confidentFindings(from: Surface, to: Surface, liveEntries: ReadonlySet<string>): ApiFinding[] {
  const findings: ApiFinding[] = [];
  const polarity = polarities(to);
  const publicIds = new Set([...from.values()].map((symbol) => symbol.id));
  const reachedFrom = referrers(from);
  const reachedTo = referrers(to);
  for (const [key, before] of from) {
    if (!liveEntries.has(before.entry)) continue;
    const after = counterpart(key, to);
    const name = display(before);
    if (!after) {
      const gone = before.name === "export=" ? "the module's own value (`export =`) is gone: `require()` returns only named exports now" : before.name === "default" ? "the default export is gone" : `${name} is no longer exported`;
      if (!parentRemoved(key, to)) findings.push(reached(finding("api/export-removed", "confident", name, gone), reachedFrom.get(before.id)));
      continue;
    }
    findings.push(...compareSymbol(name, before, after, polarity.get(after.id)?.has("input") ?? false, publicIds).map((item) => reached(item, reachedTo.get(after.id))));
  }
  const added = [...to.entries()].filter(([key, symbol]) => !counterpart(key, from) && !parentRemoved(key, from) && from.size > 0 && liveEntries.has(symbol.entry));
  if (added.length > 0) {
    const names = added.slice(0, 8).map(([, symbol]) => display(symbol));
    const more = added.length > names.length ? ` and ${added.length - names.length} more` : "";
    findings.push(finding("api/exports-added", "info", names[0] ?? "", `${added.length} new export(s): ${names.join(", ")}${more}`));
  }
  return dedupe(findings);
}

function compareSymbol(name: string, before: ApiSymbol, after: ApiSymbol, isInput: boolean, publicIds: ReadonlySet<string>): ApiFinding[] {
  const findings: ApiFinding[] = [];
  const lost = before.meanings.filter((meaning) => !after.meanings.includes(meaning));
  if (lost.length > 0) {
    const isDefault = before.name === "default" || before.name === "export=";
    const rule = isDefault ? "api/default-export-changed" : "api/meaning-lost";
    findings.push({ ...finding(rule, "confident", name, `${name} is no longer a ${lost.join(" or ")} (now: ${after.meanings.join(", ") || "nothing"})`), lostMeanings: lost });
    return findings;
  }
  if (before.text === after.text) return findings;
  findings.push(...arityFindings(name, before.calls, after.calls, ""));
  findings.push(...arityFindings(name, before.constructs, after.constructs, "new "));
  for (const member of before.enumMembers) {
    if (!after.enumMembers.includes(member)) findings.push(finding("api/enum-member-removed", "confident", `${name}.${member}`, `enum member ${name}.${member} was removed`));
  }
  // A member inherited from another public declaration is reported there, once.
  const own = (member: { owner?: string }) => !member.owner || member.owner === before.id || !publicIds.has(member.owner);
  const removed = [...before.members].filter(([member, shape]) => !after.members.has(member) && own(shape));
  const forEveryone = removed.filter(([, shape]) => !shape.forSubclasses).map(([member]) => member);
  const forSubclasses = removed.filter(([, shape]) => shape.forSubclasses).map(([member]) => member);
  if (forEveryone.length > 0) findings.push({ ...finding("api/member-removed", "confident", name, `${name} lost ${countOf(forEveryone.length, "member")}: ${list(forEveryone)}`), members: forEveryone });
  if (forSubclasses.length > 0) findings.push({ ...finding("api/member-removed", "confident", name, `${name} lost ${countOf(forSubclasses.length, "protected or _-prefixed member")} that subclasses use: ${list(forSubclasses)}`), audience: "subclasses", members: forSubclasses });
  if (isInput && after.kind !== "class") {
    const nowRequired = [...before.members].filter(([member, shape]) => shape.optional && after.members.get(member)?.optional === false && own(shape)).map(([member]) => member);
    if (nowRequired.length > 0) findings.push({ ...finding("api/member-now-required", "confident", name, `${name} now requires ${list(nowRequired)}, and callers pass ${name} in`), members: nowRequired });
  }
  const added = [...after.members].filter(([member]) => !before.members.has(member) && !member.startsWith("static "));
  const required = added.filter(([, shape]) => !shape.optional).map(([member]) => member);
  if (isInput && after.kind !== "class" && required.length > 0) {
    findings.push({ ...finding("api/required-member-added", "confident", name, `${name} gained required ${countOf(required.length, "member")} ${list(required)}; objects callers build for it now lack them`), members: required });
  } else if (added.length > 0) {
    findings.push(finding("api/member-added", "info", name, `${name} gained ${countOf(added.length, "member")}: ${list(added.map(([member]) => member))}`));
  }
  const typeParameters = before.typeParameters;
  if (after.typeParameters.required > typeParameters.required) {
    findings.push(finding("api/type-parameter-required-added", "confident", name, `${name} now needs ${after.typeParameters.required} type argument(s) (was ${typeParameters.required})`));
  } else if (after.typeParameters.total < typeParameters.total) {
    findings.push(finding("api/type-parameter-removed", "confident", name, `${name} takes at most ${after.typeParameters.total} type argument(s) (was ${typeParameters.total})`));
  }
  return findings;
}

// Every argument count an old call could use must still be accepted by some new signature.
function arityFindings(name: string, before: Arity[], after: Arity[], prefix: string): ApiFinding[] {
  if (after.length === 0) {
    if (before.length === 0) return [];
    const what = prefix ? "constructible" : "callable";
    return [finding(name === "default" ? "api/default-export-changed" : `api/no-longer-${what}`, "confident", name, `${prefix}${name}(…) is no longer ${what}`)];
  }
  const findings: ApiFinding[] = [];
  // Overloads are a set: each argument count an old signature took must be taken by some new one
  // (semver.parse split into several overloads and still takes 1 to 2 arguments).
  const accepted = (count: number) => after.some((now) => now.min <= count && now.max >= count);
  for (const old of before) {
    const counts = Array.from({ length: Math.min(old.max, old.min + 8) - old.min + 1 }, (_, index) => old.min + index);
    if (counts.every(accepted)) continue;
    const label = `${prefix}${name}(${range(old)})`;
    if (before.length > 1) findings.push(finding("api/overload-removed", "confident", name, `no overload of ${prefix}${name} accepts ${range(old)} argument(s) any more`));
    else if (after.every((now) => now.min > old.min)) {
      const needed = Math.min(...after.map((now) => now.min));
      findings.push(finding("api/parameter-required-added", "confident", name, `${label} now requires ${needed} argument(s) (was ${old.min})`));
    } else findings.push(finding("api/parameter-removed", "confident", name, `${label} accepts at most ${Math.max(...after.map((now) => now.max))} argument(s) (was ${old.max})`));
  }
  return findings;
}


function list(names: string[]): string {
  const shown = names.slice(0, 6).join(", ");
  return names.length > 6 ? `${shown} and ${names.length - 6} more` : shown;
}

function range(arity: Arity): string {
  if (arity.max === Number.POSITIVE_INFINITY) return `${arity.min}+`;
  return arity.min === arity.max ? `${arity.min}` : `${arity.min}–${arity.max}`;
}

// "ns.member" disappearing with "ns" is one finding, on "ns".
function parentRemoved(key: string, surface: Surface): boolean {
  const [entry, name = ""] = key.split("#");
  const parts = name.split(".");
  for (let length = parts.length - 1; length > 0; length--) {
    if (!surface.has(`${entry}#${parts.slice(0, length).join(".")}`)) return true;
  }
  return false;
}

/** For each public declaration, the exports whose declarations name it. */
export function referrers(surface: Surface): Map<string, string[]> {
  // Sets, not lists: a type every command names (an SDK's client config) has thousands of referrers.
  const names = new Map<string, Set<string>>();
  for (const symbol of surface.values()) {
    const name = display(symbol);
    for (const id of symbol.references) {
      const found = names.get(id);
      if (found) found.add(name);
      else names.set(id, new Set([name]));
    }
  }
  return new Map([...names].map(([id, found]) => [id, [...found]]));
}

const maxReachedThrough = 6;

export function reached(item: ApiFinding, through: string[] | undefined): ApiFinding {
  if (item.tier === "info" || !through?.length) return item;
  // The same name through another entry point ("./esm.mjs#Command" beside "Command") says nothing new.
  const names = through.filter((name) => !name.includes("#") || !through.includes(name.replace(/^[^#]*#/, "")));
  return { ...item, reachedThrough: names.slice(0, maxReachedThrough) };
}

export function display(symbol: Pick<ApiSymbol, "entry" | "name">): string {
  return symbol.entry === "." ? symbol.name : `${symbol.entry}#${symbol.name}`;
}

function finding(rule: string, tier: ApiFinding["tier"], symbol: string, message: string): ApiFinding {
  return { rule, tier, symbol, message };
}

/**
 * The same export in the new surface. A module's own value is `export default` in one version and
 * `export =` in the other when a package splits its declarations into .d.mts and .d.cts (axios 1.x):
 * to the code that loads it, that is the same value.
 */
export function counterpart(key: string, surface: Surface): ApiSymbol | undefined {
  const found = surface.get(key);
  if (found) return found;
  const [entry, name] = [key.slice(0, key.lastIndexOf("#")), key.slice(key.lastIndexOf("#") + 1)];
  if (name === "default") return surface.get(`${entry}#export=`);
  if (name === "export=") return surface.get(`${entry}#default`);
  return undefined;
}

// One declaration exported by many entry points is reported once, under its first name.
function dedupe(findings: ApiFinding[]): ApiFinding[] {
  const seen = new Set<string>();
  return findings.filter((item) => {
    const key = `${item.rule}:${item.message.replace(/\.\/[^#\s]*#/g, "")}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
