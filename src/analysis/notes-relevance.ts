import type { Signal } from "../types.js";
import type { Versioning } from "../versioning.js";
import { place, type ProjectView } from "./project-view.js";

/**
 * How an ecosystem judges a notes line about its runtime against the runtime the project declares
 * (npm: "drop support for Node 14" against engines.node); undefined when the line is not about it.
 */
export type RuntimeNotes = (signal: Signal, project: ProjectView) => Signal | undefined;

/** What the ecosystem lends the rule: how it reads versions, and how it judges runtime lines. */
export interface NotesJudging {
  versioning?: Versioning;
  runtime?: RuntimeNotes;
}

/**
 * Release-note lines are about the package; this makes their severity about the project. A breaking
 * line stays breaking only when it names something the project runs on or uses:
 * - the ecosystem's runtime (a Node.js version): compared with the range the project declares;
 * - a release line of the declared Python or of a package the project has installed;
 * - otherwise an export, member or subpath the project's code uses (file:line named).
 * Without that, it is risky, and the message says which fact was missing.
 */
export function notesForProject(signals: Signal[], project: ProjectView | undefined, judging: NotesJudging = {}): Signal[] {
  if (!project) return signals;
  return signals.map((signal) => {
    if (signal.analyzer !== "heuristic" || !signal.evidence) return signal;
    const runtime = judging.runtime?.(signal, project);
    if (runtime) return runtime;
    const line = signal.evidence.quote;
    if (signal.severity === "risky") return namedApiRelevance(signal, line, project);
    if (signal.severity !== "breaking") return signal;
    return supportRelevance(signal, line, project, judging.versioning) ?? useRelevance(signal, line, project);
  });
}

// "Drop support for Django 3.2 and 4.1", "dropped support for Python 3.8": a name, then the release lines left behind.
const droppedSupport = /\b(?:drop(?:s|ped)?|remove[sd]?|end(?:s|ed)?)\s+(?:the\s+)?support\s+for\s+(?:the\s+)?([A-Za-z][\w.-]*)\s+(?:versions?\s+)?v?(\d+(?:\.\d+)*(?:\s*(?:,|and|&|or)\s*v?\d+(?:\.\d+)*)*)/i;
const packageKey = (name: string) => name.toLowerCase().replace(/[-_.]+/g, "-");

/**
 * A notes line that drops support for a release line of something the project has: its declared
 * Python, or a package it has installed (after this upgrade, as planned). Breaking, quoted, when the
 * project is on a dropped line; information when it is not; undefined when the line names neither.
 */
function supportRelevance(signal: Signal, line: string, project: ProjectView, versioning: Versioning | undefined): Signal | undefined {
  const match = droppedSupport.exec(line);
  if (!match) return undefined;
  const name = match[1] ?? "";
  const dropped = (match[2] ?? "").split(/\s*(?:,|and|&|or)\s*/).map((version) => version.replace(/^v/, "")).filter(Boolean);
  if (/^python$/i.test(name)) {
    const python = project.facts.python;
    if (!python?.range || !versioning) return undefined;
    const range = python.range;
    const fact = `Python ${range} (${python.source})`;
    const hit = dropped.find((version) => versioning.allows(range, version.split(".").length < 3 ? `${version}.0` : version));
    return hit
      ? { ...signal, severity: "breaking", message: `${signal.message}: Python ${hit} is no longer supported, and the project allows it (${fact})`, fact, strength: "quoted" }
      : { ...signal, severity: "info", message: `${signal.message}; the project's Python (${fact}) is not affected`, fact, strength: "quoted" };
  }
  const key = [...project.facts.installed.keys()].find((installed) => packageKey(installed) === packageKey(name));
  if (!key) return undefined;
  const planned = [...project.planned].find(([candidate]) => packageKey(candidate) === packageKey(name))?.[1];
  const versions = planned ? [planned] : (project.facts.installed.get(key) ?? []);
  const onDropped = versions.find((version) => dropped.some((line) => version === line || version.startsWith(`${line}.`)));
  const fact = `${key} ${versions.join(", ")}${planned ? " after this upgrade" : " installed"}`;
  return onDropped
    ? { ...signal, severity: "breaking", message: `${signal.message}: ${name} ${dropped.join(", ")} is no longer supported, and the project has ${key} ${onDropped}`, fact, strength: "quoted" }
    : { ...signal, severity: "info", message: `${signal.message}; the project's ${key} (${versions.join(", ")}) is not on a dropped line`, fact, strength: "quoted" };
}


function useRelevance(signal: Signal, line: string, project: ProjectView): Signal {
  if (!project.codeAvailable) return { ...signal, severity: "risky", message: `${signal.message}; the project's code was not available to check what it uses`, fact: "project code not available", strength: "inferred" };
  const usage = project.usage;
  if (usage.files.length === 0) return { ...signal, severity: "risky", message: `${signal.message}; the project's code does not import ${usage.name}`, fact: "not imported by the project's code", strength: "inferred" };
  const hit = namedUse(line, project);
  if (hit?.member) return { ...signal, severity: "risky", message: `${signal.message}: it is about ${hit.member}; the project uses ${hit.name} at ${place(hit.site)}, which does not show it uses that member`, fact: `uses ${hit.name} at ${place(hit.site)}, not the member`, touches: [hit.site], strength: "inferred" };
  if (hit) return { ...signal, message: `${signal.message}: it names ${hit.name}, which the project uses at ${place(hit.site)}`, fact: `uses ${hit.name} at ${place(hit.site)}`, touches: [hit.site], strength: "quoted" };
  return { ...signal, severity: "risky", message: `${signal.message}; it names nothing the project's code uses`, fact: "names no API the project uses", strength: "inferred" };
}

/**
 * A risky line that names the API it is about in code form (`URLField.to_python()`,
 * ``datetime.utcfromtimestamp``) is about those names: when the project's code imports the package and
 * uses none of them, the change does not reach it (information). A line naming nothing in code form
 * stays risky: what it is about cannot be told.
 */
function namedApiRelevance(signal: Signal, line: string, project: ProjectView): Signal {
  if (!project.codeAvailable || project.usage.files.length === 0 || project.usage.truncated) return signal;
  const named = [...new Set([...line.matchAll(/`([^`]+)`/g)].map((match) => (match[1] ?? "").trim()).filter((text) => /^[A-Za-z_$][\w$.]*(?:\(\))?$/.test(text)))];
  if (named.length === 0) return signal;
  const hit = namedUse(line, project);
  if (hit?.member) return { ...signal, message: `${signal.message}: it is about ${hit.member}; the project uses ${hit.name} at ${place(hit.site)}`, fact: `uses ${hit.name} at ${place(hit.site)}, not the member`, touches: [hit.site], strength: "inferred" };
  if (hit) return { ...signal, message: `${signal.message}: it names ${hit.name}, which the project uses at ${place(hit.site)}`, fact: `uses ${hit.name} at ${place(hit.site)}`, touches: [hit.site], strength: "quoted" };
  const list = named.slice(0, 3).map((name) => `\`${name}\``).join(", ");
  return { ...signal, severity: "info", message: `${signal.message}; it is about ${list}${named.length > 3 ? " and more" : ""}, which the project's code does not use`, fact: "names no API the project uses", strength: "inferred" };
}

/** The first export, member or subpath the project uses that a notes line names (in code form, or unmistakably). */
function namedUse(line: string, project: ProjectView): NamedUse | undefined {
  const usage = project.usage;
  const candidates = new Map<string, { file: string; line: number }>();
  for (const site of usage.sites) {
    for (const name of [site.symbol, site.member]) {
      if (name && name !== "default" && name !== "*" && !candidates.has(name)) candidates.set(name, { file: site.file, line: site.line });
    }
  }
  for (const deep of usage.deepImports) if (!candidates.has(deep.subpath.slice(2))) candidates.set(deep.subpath.slice(2), { file: deep.file, line: deep.line });
  // The keywords a call passes (Python): a line about the `timeout` parameter is about that call.
  for (const site of usage.sites) for (const keyword of site.arguments?.keywords ?? []) if (!candidates.has(keyword)) candidates.set(keyword, { file: site.file, line: site.line });
  const code = [...line.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? "");
  let container: NamedUse | undefined;
  for (const [name, site] of candidates) {
    const literal = name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    const word = new RegExp(`(?<![\\w$])${literal}(?![\\w$])`);
    // A name only as an object's key in code form (`{ post: { ...customDefaults } }`) is a property of a value the line shows, not the API of that name.
    const asKeyOnly = (text: string) => {
      const uses = [...text.matchAll(new RegExp(`(?<![\\w$])${literal}(?![\\w$])(\\s*:(?!:))?`, "g"))];
      return uses.length > 0 && uses.every((use) => use[1] !== undefined);
    };
    const inCode = code.some((text) => word.test(text) && !asKeyOnly(text));
    const asCall = new RegExp(`(?<![\\w$])${literal}\\(|\\.${literal}(?![\\w$])`).test(line);
    // A plain lowercase word ("defaults", "request") is English as often as it is the API: it counts only in code form.
    const distinctive = /[A-Z_$]/.test(name.slice(1)) || /^[A-Z]/.test(name);
    if (!inCode && !asCall && !(distinctive && word.test(line))) continue;
    const member = memberOn(name, line);
    if (!member) return { name: `\`${name}\``, site };
    container ??= { name: `\`${name}\``, site, member };
  }
  return container;
}

interface NamedUse {
  name: string;
  site: { file: string; line: number };
  /** The line is about a member on the name (`dynamic_tax_rates` on `Checkout.SessionCreateParams.line_items[]`), not the name. */
  member?: string;
}

/**
 * A name the line gives only as where a member it names sits (stripe 22.4: "Remove support for
 * `dynamic_tax_rates` on `Checkout.SessionCreateParams.line_items[]`", for code that names
 * `Stripe.Checkout.SessionCreateParams`): the line is about that member, which the code's use of the
 * name does not show it touches (a use of the member itself is a candidate of its own). A line about the
 * name's own behaviour (`URLField.to_python()` for code using forms.URLField) is about the name.
 */
function memberOn(name: string, line: string): string | undefined {
  for (const [, member = "", path = ""] of line.matchAll(/`([^`]+)`\s+(?:on|from|of|in)\s+`([^`]+)`/g)) {
    if (path.replace(/(?:\[\]|\(\))/g, "").split(".").includes(name) && member !== name) return `\`${member}\` on \`${path}\``;
  }
  return undefined;
}
