import { contractSignal, decidedBy } from "../../analysis/contract/signal.js";
import { places, type ProjectView } from "../../analysis/project-view.js";
import type { VersionSummary } from "../../registry/contract.js";
import type { Signal } from "../../types.js";
import type { PypiRelease } from "./index/client.js";
import { modulesOf, normaliseName, requiredByEveryInstall } from "./names.js";
import { firstExcludedPython } from "./python-support.js";
import { pep440Versioning } from "./versioning.js";

export interface PythonContractInput {
  name: string;
  from: PypiRelease;
  to: PypiRelease;
  between: VersionSummary[];
  project?: ProjectView;
  /** Where the project's code imports a module (for dependencies the upgrade moves). */
  importsOf?: (module: string) => { file: string; line: number }[];
}

/**
 * Changes to a Python package's published contract, each compared with a project fact where one
 * decides: `requires_python` against the project's `requires-python`, `requires_dist` against the
 * installed versions, import names removed against the project's imports, wheels, extras, yanks.
 */
export function pythonContractSignals(input: PythonContractInput): Signal[] {
  return [
    ...requiresPython(input.from, input.to, input.project),
    ...requiresDist(input),
    ...extrasRemoved(input.from, input.to, input.project, input.name),
    ...importNamesRemoved(input.from, input.to, input.project),
    ...wheels(input.from, input.to),
    ...yanked(input),
    ...unreadable(input.from, input.to),
  ];
}

// Rules that need a release's metadata are silent without it; the report says why.
function unreadable(from: PypiRelease, to: PypiRelease): Signal[] {
  return [from, to].flatMap((release) => (release.metadataError ? [contractSignal("metadata-unreadable", "info", `the metadata of ${release.version} could not be read (${release.metadataError}): requires_dist, extras and modules were not compared`, release.version)] : []));
}

function requiresPython(from: PypiRelease, to: PypiRelease, project: ProjectView | undefined): Signal[] {
  const before = from.requiresPython ?? "";
  const after = to.requiresPython;
  if (!after || after.replace(/\s+/g, "") === before.replace(/\s+/g, "")) return [];
  const narrowedFrom = before ? firstExcludedPython(before, after) : "3.6";
  if (!narrowedFrom) return [];
  const message = `requires_python changed from "${before || "(none)"}" to "${after}"`;
  const quote = `Requires-Python: ${after}`;
  const base = (severity: Signal["severity"], text: string) => contractSignal("requires-python-narrowed", severity, text, to.version, quote);
  const support = project?.facts.python;
  if (!project) return [base("risky", message)];
  if (!support?.range) return [decidedBy(base("risky", `${message}; the project declares no requires-python, so bumpwise cannot tell whether it still fits`), "no requires-python declared")];
  const fact = `${support.source}: ${support.range}`;
  const excluded = firstExcludedPython(support.range, after);
  if (!excluded) return [decidedBy(base("info", `${message}; every Python the project allows (${support.range}) is still inside it`), fact)];
  return [decidedBy(base("breaking", `${message}, which excludes Python ${excluded}, a version the project allows (${support.range})`), fact)];
}

function requiresDist({ from, to, project, importsOf }: PythonContractInput): Signal[] {
  // Metadata that could not be read on one side is no evidence of a change.
  if (from.metadataFrom === "none" || to.metadataFrom === "none") return [];
  const before = requiredByEveryInstall(from.requiresDist);
  const after = requiredByEveryInstall(to.requiresDist);
  const signals: Signal[] = [];
  for (const [name, requirement] of after) {
    const quote = `Requires-Dist: ${requirement.text}`;
    const previous = before.get(name);
    const signal = (severity: Signal["severity"], message: string) => contractSignal(previous ? "requires-dist-changed" : "requires-dist-added", severity, message, to.version, quote);
    if (!previous) {
      signals.push(signal("info", `${to.version} adds ${name}${requirement.specifier ? ` ${requirement.specifier}` : ""} as a required dependency`));
      continue;
    }
    if (previous.specifier === requirement.specifier || !requirement.specifier) continue;
    const message = `the requirement on ${name} changed from "${previous.specifier || "any"}" to "${requirement.specifier}"`;
    if (!project) {
      signals.push(signal("risky", message));
      continue;
    }
    const installed = project.facts.installed.get(name) ?? [];
    const outside = installed.filter((version) => !pep440Versioning.allows(requirement.specifier, version));
    const planned = project.planned.get(name);
    if (outside.length === 0) {
      signals.push(signal("info", `${message}${installed.length > 0 ? `; the installed ${name} ${installed.join(", ")} still fits` : ""}`));
      continue;
    }
    if (planned && pep440Versioning.allows(requirement.specifier, planned)) {
      signals.push({ ...decidedBy(signal("info", `${message}; this upgrade moves ${name} to ${planned}, which fits`), `planned ${name} ${planned}`), movesWith: name });
      continue;
    }
    const moved = `${message}: the resolver must move ${name} off ${outside.join(", ")}`;
    const said = signals.length;
    const pin = (project.facts.declared.get(name) ?? []).find((declaration) => declaration.exactPin);
    if (pin) {
      signals.push(decidedBy(signal("breaking", `${moved}, and the project pins ${name} "${pin.range}": the lock cannot resolve until that pin moves`), `pins ${name} ${pin.range}`));
      continue;
    }
    const sites = importsOf?.(modulesOf(name)[0] ?? name) ?? [];
    // Moving to a new major of a package the code imports itself is a break of the project's own code.
    const newMajor = outside.some((version) => forcesNewMajor(requirement.specifier, version));
    if (sites.length > 0 && newMajor) {
      signals.push(decidedBy(signal("breaking", `${moved} to a new major, and the project's code imports ${name} at ${places(sites)}`), `imports ${name} at ${places(sites)}`, sites));
    } else if (sites.length > 0) {
      signals.push(decidedBy(signal("risky", `${moved}; the project's code imports ${name} at ${places(sites)}`), `imports ${name}`, sites));
    } else {
      signals.push(decidedBy(signal(newMajor ? "risky" : "info", `${moved}${newMajor ? " to a new major" : ""}; the project's code does not import ${name} itself`), `${name} not imported by the project`));
    }
    for (const added of signals.slice(said)) added.movesWith = name;
  }
  for (const name of before.keys()) {
    if (after.has(name)) continue;
    const sites = project ? (importsOf?.(modulesOf(name)[0] ?? name) ?? []) : [];
    const declared = project?.facts.declared.has(name) ?? false;
    const base = contractSignal("requires-dist-removed", "info", `${to.version} no longer requires ${name}`, to.version);
    if (sites.length > 0 && !declared) {
      signals.push(decidedBy({ ...base, severity: "breaking", message: `${to.version} no longer requires ${name}, which the project's code imports at ${places(sites)} without declaring it: it may disappear from the environment` }, `imports ${name} without declaring it`, sites));
    } else signals.push(base);
  }
  return signals;
}

// A lower bound above the installed major (">=2.7.0" over pydantic 1.10.27) forces a new major.
function forcesNewMajor(specifier: string, version: string): boolean {
  const installedMajor = Number(version.split(".")[0]);
  return specifier.split(",").some((clause) => {
    const bound = /^(?:>=|>|===?|~=)\s*(\d+)/.exec(clause.trim());
    return bound?.[1] !== undefined && Number(bound[1]) > installedMajor;
  });
}

// An extra the project asks for (`httpx[http2]`) that the new version drops installs less, silently.
function extrasRemoved(from: PypiRelease, to: PypiRelease, project: ProjectView | undefined, name: string): Signal[] {
  if (from.metadataFrom === "none" || to.metadataFrom === "none") return [];
  const kept = new Set(to.providesExtra.map(normaliseName));
  const removed = from.providesExtra.map(normaliseName).filter((extra) => !kept.has(extra));
  if (removed.length === 0) return [];
  const message = `extras removed: ${removed.join(", ")}`;
  if (!project) return [contractSignal("extras-removed", "risky", `${message} (an install that asks for ${removed.length === 1 ? "it" : "them"} gets a warning and fewer packages)`, to.version)];
  const asked = (project.facts.declared.get(name) ?? []).flatMap((declaration) => declaration.extras ?? []).map(normaliseName).filter((extra) => removed.includes(extra));
  if (asked.length === 0) return [decidedBy(contractSignal("extras-removed", "info", `${message}; the project does not ask for ${removed.length === 1 ? "it" : "them"}`, to.version), `no extras of ${name} requested`)];
  return [decidedBy(contractSignal("extras-removed", "breaking", `${message}, and the project asks for ${name}[${asked.join(",")}]: the packages it brought will no longer be installed`, to.version), `declares ${name}[${asked.join(",")}]`)];
}

function importNamesRemoved(from: PypiRelease, to: PypiRelease, project: ProjectView | undefined): Signal[] {
  if (from.topLevel.length === 0 || to.topLevel.length === 0) return [];
  const installed = new Set(to.topLevel);
  const removed = from.topLevel.filter((module) => !installed.has(module));
  return removed.map((module) => {
    const base = (severity: Signal["severity"], text: string) => contractSignal("module-removed", severity, text, to.version);
    const message = `the module ${module} is no longer installed`;
    if (!project) return base("risky", message);
    const imports = project.usage.files.flatMap((file) => file.imports.filter((site) => site.specifier === module || site.specifier.startsWith(`${module}.`)).map((site) => ({ file: file.file, line: site.line })));
    if (imports.length === 0) return decidedBy(base("info", `${message}; the project's code does not import it`), `${module} not imported`);
    return decidedBy(base("breaking", `${message}, and the project imports it at ${places(imports)}`), `imports ${module}`, imports);
  });
}

// Platform families a wheel covers; a family the old version had and the new one lacks means a local build there.
function platforms(release: PypiRelease): Set<string> {
  const families = new Set<string>();
  for (const file of release.files.filter((candidate) => candidate.kind === "wheel")) {
    const tag = file.filename.replace(/\.whl$/, "").split("-").at(-1) ?? "";
    if (tag === "any") families.add("any");
    for (const [family, pattern] of platformPatterns) if (pattern.test(tag)) families.add(family);
  }
  return families;
}

const platformPatterns: [string, RegExp][] = [
  ["Linux x86_64 (manylinux)", /manylinux.*x86_64/],
  ["Linux aarch64 (manylinux)", /manylinux.*aarch64/],
  ["Alpine (musllinux)", /musllinux/],
  ["macOS arm64", /macosx.*(arm64|universal2)/],
  ["macOS x86_64", /macosx.*(x86_64|universal2|intel)/],
  ["Windows x64", /win_amd64/],
];

function wheels(from: PypiRelease, to: PypiRelease): Signal[] {
  const before = platforms(from);
  const after = platforms(to);
  if (before.size === 0 || after.has("any")) return [];
  if (after.size === 0) return [contractSignal("wheels-dropped", "risky", `${to.version} publishes no wheel, only an sdist: installing it builds the package locally (a compiler and headers may be needed)`, to.version)];
  const lost = [...before].filter((family) => family !== "any" && !after.has(family));
  if (lost.length === 0) return [];
  return [contractSignal("wheels-dropped", "risky", `${to.version} has no wheel for ${lost.join(", ")} any more: installing there builds from the sdist`, to.version)];
}

function yanked(input: PythonContractInput): Signal[] {
  const signals: Signal[] = [];
  if (input.from.deprecated) signals.push(contractSignal("installed-yanked", "risky", `the installed ${input.from.version} was yanked: ${input.from.deprecated}`, input.from.version));
  for (const summary of input.between) {
    if (summary.yanked === undefined || summary.version === input.to.version) continue;
    signals.push(contractSignal("yanked-between", "info", `${summary.version} was yanked${summary.yanked ? `: ${summary.yanked}` : ""} (the upgrade skips it)`, summary.version));
  }
  return signals;
}
