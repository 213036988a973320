import { contractSignal, decidedBy } from "../../analysis/contract/signal.js";
import type { ProjectView } from "../../analysis/project-view.js";
import type { PackageHistory } from "../../registry/contract.js";
import type { Signal } from "../../types.js";
import type { ProjectUsage } from "../../usage/types.js";
import type { PypiRelease } from "./index/client.js";
import { extraOf, forTooling, modulesOf, parseRequirement, type Requirement, requiredByEveryInstall } from "./names.js";
import { pep440Versioning } from "./versioning.js";

/** What the rule needs of the index: a package's history and one release's metadata. */
export interface ReleaseLookup {
  packument(name: string): Promise<PackageHistory>;
  manifest(name: string, version: string): Promise<PypiRelease>;
}

export interface OptionalRequirementInput {
  name: string;
  from: PypiRelease;
  to: PypiRelease;
  project: ProjectView;
  /** Every package the project's code imports (by top-level module). */
  usage: ProjectUsage;
  index: ReleaseLookup;
  /** The resolver picks among the releases published by then (`--as-of`). */
  now: Date;
}

interface OptionalRequirement extends Requirement {
  extra: string;
  text: string;
}

interface Conflict {
  requirement: OptionalRequirement;
  installed: string[];
  /** The project pins it and its code never imports it: it is installed for this support. */
  onlyForExtras: boolean;
}

/**
 * An extra's requirement says what a feature of the package needs; nothing installs it unless asked.
 * A project that pins such a package itself while its code never imports it has it for that feature
 * (redis pinned beside celery for kombu's Redis transport): a new range that excludes the pinned version
 * is a fact of the project, breaking. A package the project declares and uses itself may or may not
 * serve the feature: risky. Checked on the new version itself, and, for pins installed only for a
 * feature, on the release each changed required dependency resolves to when the lock does not already
 * hold a fitting one (celery 5.7.0 → kombu 5.7.0 → redis>=6.4.0).
 */
export async function optionalRequirementSignals(input: OptionalRequirementInput): Promise<Signal[]> {
  const { from, to } = input;
  if (from.metadataFrom === "none" || to.metadataFrom === "none") return [];
  const signals = (await conflicts(input, to, optionalRequirements(from))).map(({ requirement, installed, onlyForExtras }) => {
    const change = `${to.version} declares ${requirement.name} "${requirement.specifier}" for its "${requirement.extra}" support, which excludes the installed ${requirement.name} ${installed.join(", ")}`;
    const quote = `Requires-Dist: ${requirement.text}`;
    return onlyForExtras
      ? decidedBy(contractSignal("extra-excludes-installed", "breaking", `${change}, which the project pins but its code never imports (it is there for this support), and this upgrade does not move it`, to.version, quote), `pins ${requirement.name} ${installed.join(", ")}, never imported by its code`)
      : { ...contractSignal("extra-excludes-installed", "risky", `${change}; ${input.project.codeAvailable ? `the project's code uses ${requirement.name} itself` : "the project's code was not read"}, so whether it uses this support of ${input.name} cannot be told`, to.version, quote), fact: `declares ${requirement.name} ${installed.join(", ")}`, strength: "inferred" as const };
  });
  let pins: Promise<boolean> | undefined;
  for (const [name, requirement] of changedRequirements(from, to)) {
    if (!resolverMoves(input.project, name, requirement)) continue;
    if (!(await (pins ??= hasPinsForExtras(input)))) break;
    const chosen = await resolverPick(input, name, requirement).catch(() => undefined);
    if (!chosen) continue;
    for (const { requirement: optional, installed, onlyForExtras } of await conflicts(input, chosen.release, chosen.before ? optionalRequirements(chosen.before) : new Map())) {
      if (!onlyForExtras) continue;
      signals.push(
        decidedBy(
          contractSignal(
            "extra-excludes-installed",
            "breaking",
            `${to.version} requires ${name} "${requirement.specifier}"; ${name} ${chosen.release.version}, which the resolver then installs, declares ${optional.name} "${optional.specifier}" for its "${optional.extra}" support, which excludes the installed ${optional.name} ${installed.join(", ")}, which the project pins but its code never imports (it is there for this support), and this upgrade does not move it`,
            to.version,
            `Requires-Dist: ${requirement.text}`,
          ),
          `pins ${optional.name} ${installed.join(", ")}, never imported by its code; ${name} ${chosen.release.version} Requires-Dist: ${optional.text}`,
        ),
      );
    }
  }
  return signals;
}

// Whether the project's code imports a package (by the modules its installed release provides).
async function imported(input: OptionalRequirementInput, name: string): Promise<boolean> {
  const version = input.project.facts.installed.get(name)?.[0];
  const release = version ? await input.index.manifest(name, version).catch(() => undefined) : undefined;
  const modules = modulesOf(name, release?.topLevel);
  return modules.some((module) => input.usage.packages.has(module.split(".")[0] ?? module));
}

// A package the project pins while its code, which was read, imports none of its modules.
async function pinnedForExtras(input: OptionalRequirementInput, name: string): Promise<boolean> {
  return input.project.codeAvailable && (input.project.facts.direct?.has(name) ?? false) && !(await imported(input, name));
}

async function hasPinsForExtras(input: OptionalRequirementInput): Promise<boolean> {
  if (!input.project.codeAvailable) return false;
  for (const name of input.project.facts.direct ?? []) if (name !== input.name && (await pinnedForExtras(input, name))) return true;
  return false;
}

// The extras' requirements of a release, by the package they name (the first one of each).
function optionalRequirements(release: PypiRelease): Map<string, OptionalRequirement> {
  const result = new Map<string, OptionalRequirement>();
  for (const text of release.requiresDist) {
    const requirement = parseRequirement(text);
    const extra = requirement ? extraOf(requirement) : undefined;
    if (!requirement?.specifier || !extra || forTooling(requirement) || result.has(requirement.name)) continue;
    result.set(requirement.name, { ...requirement, extra, text });
  }
  return result;
}

// The optional requirements of `release` on packages the project declares that exclude every installed
// version, the plan does not move into range, and the release before (when known) did not already exclude.
async function conflicts(input: OptionalRequirementInput, release: PypiRelease, before: Map<string, OptionalRequirement>): Promise<Conflict[]> {
  const { project } = input;
  const found: Conflict[] = [];
  for (const [name, requirement] of optionalRequirements(release)) {
    // The project declares it: it stays installed whatever the lock's other packages need (click
    // that uvicorn brought, or anyio that only the old httpcore required, may go or move on a relock).
    if (!project.facts.direct?.has(name)) continue;
    const installed = project.facts.installed.get(name) ?? [];
    if (installed.length === 0 || installed.some((version) => pep440Versioning.allows(requirement.specifier, version))) continue;
    const planned = project.planned.get(name);
    if (planned && pep440Versioning.allows(requirement.specifier, planned)) continue;
    const earlier = before.get(name);
    if (earlier && !installed.some((version) => pep440Versioning.allows(earlier.specifier, version))) continue;
    found.push({ requirement, installed, onlyForExtras: await pinnedForExtras(input, name) });
  }
  return found;
}

// Required dependencies (no extra marker) whose specifier the new version changed or added.
function changedRequirements(from: PypiRelease, to: PypiRelease): Map<string, Requirement & { text: string }> {
  const before = requiredByEveryInstall(from.requiresDist);
  // A direct reference (`name @ URL`) has no specifier: never planned, never compared.
  return new Map([...requiredByEveryInstall(to.requiresDist)].filter(([name, requirement]) => requirement.specifier !== "" && before.get(name)?.specifier !== requirement.specifier));
}

// A required dependency the new version brings anew or moves: the lock holds none in range and the plan does not move it (its own row is reviewed then).
function resolverMoves(project: ProjectView, name: string, requirement: Requirement): boolean {
  const installed = project.facts.installed.get(name) ?? [];
  return !project.planned.has(name) && !installed.some((version) => pep440Versioning.allows(requirement.specifier, version));
}

/** The release of such a dependency the resolver installs: the newest published by `now` in range, with the locked release it replaces when there is one. */
async function resolverPick(input: OptionalRequirementInput, name: string, requirement: Requirement): Promise<{ release: PypiRelease; before?: PypiRelease } | undefined> {
  const installed = input.project.facts.installed.get(name) ?? [];
  const history = await input.index.packument(name);
  const newest = Object.values(history.versions)
    .filter((summary) => summary.yanked === undefined && !pep440Versioning.isPrerelease(summary.version) && pep440Versioning.allows(requirement.specifier, summary.version))
    .filter((summary) => {
      const published = history.time[summary.version];
      return !published || Date.parse(published) <= input.now.getTime();
    })
    .map((summary) => summary.version)
    .sort(pep440Versioning.compare)
    .at(-1);
  if (!newest) return undefined;
  const release = await input.index.manifest(name, newest);
  if (release.metadataFrom === "none") return undefined;
  const locked = installed.length === 1 && installed[0] ? await input.index.manifest(name, installed[0]).catch(() => undefined) : undefined;
  return { release, ...(locked && locked.metadataFrom !== "none" ? { before: locked } : {}) };
}
