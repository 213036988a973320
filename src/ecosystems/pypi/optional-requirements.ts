import { contractSignal, decidedBy } from "../../analysis/contract/signal.js";
import type { ProjectView } from "../../analysis/project-view.js";
import type { PackageHistory } from "../../registry/contract.js";
import type { Signal } from "../../types.js";
import type { PypiRelease } from "./index/client.js";
import { parseRequirement, type Requirement } from "./names.js";
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
  index: ReleaseLookup;
  /** The resolver picks among the releases published by then (`--as-of`). */
  now: Date;
}

// Extras that serve the package's own development, not a feature its users' code runs.
const toolingExtra = /^(?:tests?|testing|dev|devel|develop|development|docs?|documentation|lint|linting|typing|types|mypy|check|coverage|bench|benchmarks?|ci|release|build|style|quality)$/;

interface OptionalRequirement extends Requirement {
  extra: string;
  text: string;
}

/**
 * An extra's requirement is an optional dependency: nothing installs it unless asked, but where the
 * project declares the package itself, the code behind the extra runs against it (kombu's Redis
 * transport against the project's redis). As with an installed optional peer on npm, a range that no
 * longer admits the installed version is a fact of the project: the import succeeds and that code
 * refuses or misbehaves. Checked on the new version itself, and on the release each changed required
 * dependency resolves to when the lock does not already hold a fitting one (celery → kombu → redis).
 */
export async function optionalRequirementSignals(input: OptionalRequirementInput): Promise<Signal[]> {
  const { from, to, project } = input;
  if (from.metadataFrom === "none" || to.metadataFrom === "none") return [];
  const signals = conflicts(to, project, optionalRequirements(from)).map(({ requirement, installed }) =>
    decidedBy(
      contractSignal("extra-excludes-installed", "breaking", `${to.version} declares ${requirement.name} "${requirement.specifier}" for its "${requirement.extra}" support, which excludes the installed ${requirement.name} ${installed.join(", ")}, and this upgrade does not move it: that code of ${input.name} runs against a version it is not made for`, to.version, `Requires-Dist: ${requirement.text}`),
      `installed ${requirement.name} ${installed.join(", ")}`,
    ),
  );
  for (const [name, requirement] of changedRequirements(from, to)) {
    const chosen = await resolverPick(input, name, requirement).catch(() => undefined);
    if (!chosen) continue;
    for (const conflict of conflicts(chosen.release, project, chosen.before ? optionalRequirements(chosen.before) : new Map())) {
      const { requirement: optional, installed } = conflict;
      signals.push(
        decidedBy(
          contractSignal(
            "extra-excludes-installed",
            "breaking",
            `${to.version} requires ${name} "${requirement.specifier}"; ${name} ${chosen.release.version}, which the resolver then installs, declares ${optional.name} "${optional.specifier}" for its "${optional.extra}" support, which excludes the installed ${optional.name} ${installed.join(", ")}, and this upgrade does not move it: ${name}'s ${optional.extra} support runs against a version it is not made for`,
            to.version,
            `Requires-Dist: ${requirement.text}`,
          ),
          `installed ${optional.name} ${installed.join(", ")}; ${name} ${chosen.release.version} Requires-Dist: ${optional.text}`,
        ),
      );
    }
  }
  return signals;
}

// The extras' requirements of a release, by the package they name (the first one of each).
function optionalRequirements(release: PypiRelease): Map<string, OptionalRequirement> {
  const result = new Map<string, OptionalRequirement>();
  for (const text of release.requiresDist) {
    const requirement = parseRequirement(text);
    const extra = /\bextra\s*==\s*["']([^"']+)["']/.exec(requirement?.marker ?? "")?.[1];
    if (!requirement?.specifier || !extra || toolingExtra.test(extra.toLowerCase()) || result.has(requirement.name)) continue;
    result.set(requirement.name, { ...requirement, extra, text });
  }
  return result;
}

// The optional requirements of `release` that exclude every installed version of a package the plan does
// not move into range, and that the release before (when known) did not already exclude.
function conflicts(release: PypiRelease, project: ProjectView, before: Map<string, OptionalRequirement>): { requirement: OptionalRequirement; installed: string[] }[] {
  const found: { requirement: OptionalRequirement; installed: string[] }[] = [];
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
    found.push({ requirement, installed });
  }
  return found;
}

// Required dependencies (no extra marker) whose specifier the new version changed or added.
function changedRequirements(from: PypiRelease, to: PypiRelease): Map<string, Requirement & { text: string }> {
  const required = (release: PypiRelease) => {
    const result = new Map<string, Requirement & { text: string }>();
    for (const text of release.requiresDist) {
      const requirement = parseRequirement(text);
      if (requirement && !requirement.url && !/\bextra\s*==/.test(requirement.marker ?? "")) result.set(requirement.name, { ...requirement, text });
    }
    return result;
  };
  const before = required(from);
  return new Map([...required(to)].filter(([name, requirement]) => requirement.specifier !== "" && before.get(name)?.specifier !== requirement.specifier));
}

/**
 * The release of a required dependency that installing the new version brings: none when the lock holds
 * one in range or the plan moves it (its own row is reviewed); else the newest published by `now` in
 * range, with the locked release it replaces when there is one.
 */
async function resolverPick(input: OptionalRequirementInput, name: string, requirement: Requirement): Promise<{ release: PypiRelease; before?: PypiRelease } | undefined> {
  const { project } = input;
  const installed = project.facts.installed.get(name) ?? [];
  if (project.planned.has(name) || installed.some((version) => pep440Versioning.allows(requirement.specifier, version))) return undefined;
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
