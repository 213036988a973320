import type { Signal } from "../../../types.js";
import type { PackageUsage } from "../../../usage/types.js";
import { type ApiDiff, type ApiFinding, type ApiUnavailable, clearsProject } from "../../../analysis/api-diff.js";

export interface ApiSignals {
  signals: Signal[];
  /** Whether the project uses a symbol with a breaking or risky finding; null without usage or findings. */
  affectsYou: boolean | null;
}

const severityByTier = { confident: "breaking", review: "risky", info: "info" } as const;

/**
 * Findings → signals. With the project's usage, a finding on a symbol the project does not use (by
 * name, or through the export that reaches it) is shown as info: it cannot break this project's code.
 */
export function apiSignals(result: ApiDiff | ApiUnavailable, usage: PackageUsage | undefined, version: string): ApiSignals {
  if ("unavailable" in result) return { signals: [signal("api/unavailable", "info", `API diff not run: ${result.unavailable}`)], affectsYou: null };
  const signals: Signal[] = [];
  if (result.from.package !== result.to.package || result.to.package.startsWith("@types/")) {
    signals.push(signal("api/types-source", "info", `declarations compared: ${result.from.package}@${result.from.version} → ${result.to.package}@${result.to.version}`));
  }
  if (result.degraded) signals.push(signal(`api/degraded-${result.degraded.reason}`, "info", result.degraded.message));
  const proof = result.proof;
  const cleared = clearsProject(proof);
  let used = false;
  let flagged = false;
  const unused: ApiFinding[] = [];
  for (const finding of result.findings) {
    const severity = severityByTier[finding.tier];
    if (severity === "info") {
      signals.push(fromFinding(finding, severity, version, ""));
      continue;
    }
    if (!usage) {
      signals.push(forTypicalConsumer(finding, severity, version));
      continue;
    }
    flagged = true;
    const names = usedNames(finding, usage);
    if (names.length > 0) used = true;
    if (names.length === 0) unused.push(finding);
    else if (cleared) signals.push(fromFinding(finding, "info", version, ` (this project uses ${names.join(", ")}, and its code still typechecks)`));
    else if (onlyThroughWholeModule(finding, usage)) {
      // Everything a default export returns is "reached through" it: calling it does not show the changed part is used.
      signals.push({ ...fromFinding(finding, severity === "breaking" ? "risky" : severity, version, " (reached only through the default export, which this project uses)"), fact: "uses the default export" });
    } else signals.push({ ...fromFinding(finding, severity, version, ` (this project uses ${names.join(", ")})`), fact: `uses ${names.join(", ")}`, ...touching(finding, usage) });
  }
  if (unused.length > 0) signals.push(unusedCount(unused));
  signals.push(...proofSignals(proof, version));
  if (proof && "diagnostics" in proof && proof.diagnostics.length > 0) return { signals, affectsYou: true };
  return { signals, affectsYou: usage && flagged ? used && !cleared : null };
}

// Without a project (explain), a finding is judged for a typical consumer and says whom it breaks: a
// required member added breaks only code that builds or mocks such objects, so it is risky for them.
function forTypicalConsumer(finding: ApiFinding, severity: Signal["severity"], version: string): Signal {
  if (buildsObjects.has(finding.rule)) return fromFinding(finding, severity === "breaking" ? "risky" : severity, version, ` (for code that implements or mocks ${finding.symbol})`);
  if (finding.audience === "subclasses") return fromFinding(finding, severity === "breaking" ? "risky" : severity, version, ` (for code that extends ${finding.symbol})`);
  if (finding.rule === "api/export-removed" || finding.rule === "api/subpath-removed") return fromFinding(finding, severity, version, " (for code that imports it)");
  return fromFinding(finding, severity, version, ` (for code that uses ${finding.symbol})`);
}

const maxProvenShown = 5;

function proofSignals(proof: ApiDiff["proof"], version: string): Signal[] {
  if (!proof) return [];
  if ("skipped" in proof) return [signal("api/proof-skipped", "info", `not typechecked against the project: ${proof.skipped}`)];
  if (proof.diagnostics.length === 0) {
    const unjudged = proof.unjudged ? `; ${proof.unjudged} use site(s) had the same type error with the old declarations, so the compiler could not judge them` : "";
    return [signal("api/typechecks", "info", `the project's ${proof.checkedFiles} file(s) that import the package typecheck against the new declarations as before${proof.complete ? "" : " (not every importing file was checked)"}${unjudged}`)];
  }
  const shown = proof.diagnostics.slice(0, maxProvenShown).map((diagnostic): Signal => ({
    ...signal("api/proven", "breaking", `proven: ${diagnostic.file}:${diagnostic.line} no longer typechecks against the new declarations`),
    strength: "proven",
    evidence: { quote: diagnostic.message, version },
    fact: `typecheck of ${diagnostic.file}:${diagnostic.line}`,
    touches: [{ file: diagnostic.file, line: diagnostic.line }],
  }));
  const more = proof.diagnostics.length - shown.length;
  return more > 0 ? [...shown, { ...signal("api/proven", "breaking", `proven: ${more} more new type error(s) in the project`), strength: "proven" }] : shown;
}

/**
 * The names through which the project's code reaches a finding: the symbol itself or an export that
 * names it, used at a call, construct, read or type site (an import that is never used does not count)
 * — and, where the finding is about members or a path inside a namespace, at the member that changed:
 * `webpack.optimize.SplitChunksPlugin` does not reach `optimize.InnerGraph`; naming a type whose member
 * was removed does not reach the member unless the code touches it or builds such objects.
 */
export function usedNames(finding: ApiFinding, usage: PackageUsage): string[] {
  if (usage.files.length === 0) return [];
  // A symbol that is no longer a type (still a value) breaks only code that names it as a type: never
  // JavaScript, and not a component registered by value in a TypeScript project's Vue file.
  const typeLost = finding.lostMeanings?.every((meaning) => meaning === "type" || meaning === "namespace") === true;
  const names = new Set<string>();
  const [own] = findingRoots({ ...finding, reachedThrough: [] });
  for (const root of findingRoots(finding)) {
    const kinds = usage.uses.get(root);
    if (typeLost && !kinds?.some((kind) => kind === "type" || kind === "implement")) continue;
    if (finding.audience === "subclasses") {
      if (kinds?.includes("extend")) names.add(`${root} (extend)`);
      continue;
    }
    // The module's own value gone (`export =` removed: `require()` returns only the named exports) reaches code
    // that calls or constructs the module or imports it as a default, not `import * as z` using named exports.
    if (finding.rule === "api/export-removed" && (root === "export=" || root === "default")) {
      if (moduleValueUsed(usage)) names.add(usage.uses.has("default") ? `the module${describeUse(usage.uses.get("default") ?? [])}` : "the default export");
      continue;
    }
    // A required member matters only to code that builds such objects, which names the type to do so
    // (an annotation, `implements`). Calling a function the type is reached through does not tell
    // which way it flows (vitest's `expect` returns an ExpectStatic; nobody builds one).
    if (buildsObjects.has(finding.rule) && (root !== own || !kinds?.some((kind) => kind === "type" || kind === "implement"))) continue;
    // How a function or class is called changed: only code that calls or constructs it (or extends the
    // class) is reached, not code that gets such a value from another export (credentials.createSsl()
    // returns a ChannelCredentials; the caller never runs `new ChannelCredentials(…)`).
    if (callShapes.test(finding.rule) && (root !== own || !callsItself(usage, root))) continue;
    if (!buildsObjects.has(finding.rule) && !reachesChangedPart(finding, root === own, root, usage)) continue;
    if (kinds) names.add(`${root}${describeUse(kinds)}`);
    else if ((root === "default" || root === "export=") && usage.importsWhole && usage.uses.size > 0) names.add("the default export");
  }
  return [...names];
}


function moduleValueUsed(usage: PackageUsage): boolean {
  return usage.uses.has("default") || usage.files.some((file) => file.imports.some((site) => site.bindings.some((binding) => binding.imported === "default")));
}

// The path inside the symbol a finding is about ("optimize.InnerGraph" → ["InnerGraph"] under "optimize").
const pathOf = (symbol: string) => symbol.replace(/^\.[^#]*#/, "").split(".").slice(1);

function reachesChangedPart(finding: ApiFinding, own: boolean, root: string, usage: PackageUsage): boolean {
  const sites = usage.sites.filter((site) => site.symbol === root);
  const kinds = usage.uses.get(root) ?? [];
  const chainOf = (site: (typeof sites)[number]) => site.chain ?? (site.member ? [site.member] : []);
  // A finding deeper in a namespace than the code goes: the code must go down that path.
  const inner = own ? pathOf(finding.symbol) : [];
  if (inner.length > 0) {
    const reaches = sites.some((site) => {
      const chain = chainOf(site);
      const startsWith = (long: string[], short: string[]) => short.every((part, index) => long[index] === part);
      // The path itself or something under it; or the namespace handed on as a value, which may reach anything in it.
      return !site.derived && (startsWith(chain, inner) || (site.kind === "read" && chain.length > 0 && startsWith(inner, chain)));
    });
    if (!reaches) return false;
  }
  // Members removed, now required: the code must touch one (directly or on a value made from it), or build or extend such objects.
  if (finding.members && finding.members.length > 0) {
    if (own && kinds.some((kind) => kind === "implement" || kind === "extend")) return true;
    const wanted = new Set(finding.members);
    const depth = inner.length;
    return sites.some((site) => {
      const chain = chainOf(site);
      const next = site.derived ? site.member : chain[depth];
      return next !== undefined && wanted.has(next);
    });
  }
  return true;
}

// A type that is no longer exported still exists where other exports use it: only code that names it
// breaks, so for a removed export only the symbol itself counts, not the exports that reach it.
function onlyThroughWholeModule(finding: ApiFinding, usage: PackageUsage): boolean {
  const direct = findingRoots({ ...finding, reachedThrough: (finding.reachedThrough ?? []).filter((name) => name !== "default" && name !== "export=") });
  const whole = (root: string) => root === "default" || root === "export=";
  return !direct.some((root) => usage.uses.has(root) || (whole(root) && usage.importsWhole && usage.uses.size > 0));
}

const buildsObjects = new Set(["api/required-member-added", "api/member-now-required"]);
// The code calls or constructs the symbol itself (`new ServerCredentials()`), not one of its members
// (`ServerCredentials.createInsecure()`), or extends it (a subclass calls its constructor).
function callsItself(usage: PackageUsage, root: string): boolean {
  if (usage.uses.get(root)?.includes("extend")) return true;
  return usage.sites.some((site) => site.symbol === root && !site.member && !site.derived && (site.kind === "call" || site.kind === "construct"));
}

const callShapes = /^api\/(parameter-removed|parameter-required-added|overload-removed|no-longer-callable|no-longer-constructible)$/;

function findingRoots(finding: ApiFinding): string[] {
  const through = finding.rule === "api/export-removed" ? [] : (finding.reachedThrough ?? []);
  return [finding.symbol, ...through].map((candidate) => candidate.replace(/^\.[^#]*#/, "").split(".")[0] ?? "");
}

// The use sites of the roots a finding reaches, so the report can point at them.
function touching(finding: ApiFinding, usage: PackageUsage): Pick<Signal, "touches"> {
  const roots = new Set(findingRoots(finding).map((root) => (root === "export=" ? "default" : root)));
  const sites = usage.sites.filter((site) => roots.has(site.symbol)).slice(0, 5).map((site) => ({ file: site.file, line: site.line }));
  return sites.length > 0 ? { touches: sites } : {};
}

// Findings on symbols the project does not use cannot break its code: one line counts them.
function unusedCount(findings: ApiFinding[]): Signal {
  const byRule = new Map<string, number>();
  for (const finding of findings) byRule.set(finding.rule, (byRule.get(finding.rule) ?? 0) + 1);
  const rules = [...byRule].map(([rule, count]) => `${rule} ×${count}`).join(", ");
  return { ...signal("api/unused", "info", `${findings.length} API change(s) on symbols this project does not use (${rules}); listed under apiDiff in report.json`), fact: "not used by the project's code", symbols: findings.map((finding) => finding.symbol).slice(0, 20) };
}

function describeUse(kinds: string[] | undefined): string {
  return kinds && kinds.length > 0 ? ` (${kinds.join("/")})` : "";
}

function fromFinding(finding: ApiFinding, severity: Signal["severity"], version: string, suffix: string): Signal {
  const reached = finding.reachedThrough ?? [];
  const through = reached.length > 0 ? `; reached through ${reached.slice(0, 5).join(", ")}${reached.length > 5 ? ` and ${reached.length - 5} more` : ""}` : "";
  const result = signal(finding.rule, severity, `${finding.message}${through}${suffix}`);
  result.symbols = [finding.symbol];
  if (finding.detail) result.evidence = { quote: finding.detail, version };
  return result;
}

// A type-shape finding is a reading of the declarations: only the compiler on the project's code proves it.
function signal(rule: string, severity: Signal["severity"], message: string): Signal {
  return { analyzer: "api-diff", rule, severity, message, strength: "inferred" };
}
