import { modulesOf } from "./names.js";
import { pypiDescription } from "./describe.js";
import type { ApiUnavailable } from "../../analysis/api-diff.js";
import type { ProjectContext } from "../../analysis/project-view.js";
import type { BumpReview } from "../../review-types.js";
import type { Bump, Signal } from "../../types.js";
import type { PackageUsage } from "../../usage/types.js";
import type { EcosystemReview } from "../types.js";
import { dependentSignals, type LockedReleases, lockedReleases } from "./api/dependents.js";
import { pythonApiSignals } from "./api/diff.js";
import type { JsonCache } from "../../registry/cache.js";
import { pythonContractSignals } from "./contract.js";
import { optionalRequirementSignals } from "./optional-requirements.js";
import type { PypiIndex, PypiRelease } from "./index/client.js";
import { firstExcludedPython } from "./python-support.js";
import { usageOf } from "./usage/index.js";
import { pep440Versioning } from "./versioning.js";

/** Python's part of a bump review: the published contract rules, usage through the wheel's import names. */
export function pypiReview(deps: { registry: PypiIndex; apiDiff: boolean; cache: JsonCache }): EcosystemReview<PypiRelease> {
  const importNames = async (bump: Pick<Bump, "name" | "from">) => {
    const release = await deps.registry.manifest(bump.name, bump.from).catch(() => undefined);
    // Without the wheel's names, the usual spelling: "python-dateutil" is imported as python_dateutil.
    return modulesOf(bump.name, release?.topLevel);
  };
  // Both versions' surfaces, each read once a run (the API diff and the dependents' check both ask; with
  // --no-cache the index client's cache would not spare the second wheel download).
  const read = new Map<string, ReturnType<PypiIndex["surface"]>>();
  const surfaceOf = (name: string, version: string) => {
    const key = `${name}@${version}`;
    if (!read.has(key)) read.set(key, deps.registry.surface(name, version));
    return read.get(key) as ReturnType<PypiIndex["surface"]>;
  };
  const surfaces = (name: string, from: string, to: string) => Promise.all([surfaceOf(name, from), surfaceOf(name, to)]);
  // The findings are signals on the project's use sites; only a comparison that could not run is kept as apiDiff.
  async function apiDiff(name: string, from: string, to: string, usage: PackageUsage): Promise<{ diff?: ApiUnavailable; signals: Signal[]; affectsYou: boolean | null }> {
    const [before, after] = await surfaces(name, from, to);
    if ("unavailable" in before) return { diff: before, signals: [], affectsYou: null };
    if ("unavailable" in after) return { diff: after, signals: [], affectsYou: null };
    return pythonApiSignals(before, after, usage, to);
  }
  // The lock's releases are read once per run, whichever bump asks first.
  let locked: Promise<LockedReleases> | undefined;
  const bothSurfaces = async (name: string, from: string, to: string) => {
    const [before, after] = await surfaces(name, from, to);
    return "unavailable" in before || "unavailable" in after ? undefined : { before, after };
  };

  return {
    ecosystem: "pypi",
    describe: pypiDescription,
    versioning: pep440Versioning,
    registry: deps.registry,
    usage: async (project, bump) => usageOf(project.usage, bump.name, await importNames(bump)),
    async analyze({ bump, from, to, between, project, now }) {
      const view = project?.view;
      // The wheels' API is compared only where the project's code calls into the package.
      const api = deps.apiDiff && view && view.usage.sites.length > 0 ? await apiDiff(bump.name, bump.from, bump.to, view.usage) : undefined;
      const optional = view && project ? await optionalRequirementSignals({ name: bump.name, from, to, project: view, usage: project.context.usage, index: deps.registry, now }) : [];
      // The locked packages that use this one run against the new version too.
      const dependents = deps.apiDiff && project && view
        ? await dependentSignals({ name: bump.name, from: bump.from, to: bump.to, importNames: await importNames(bump), surfaces: () => bothSurfaces(bump.name, bump.from, bump.to), project: view, usage: project.context.usage, registry: deps.registry, cache: deps.cache, locked: () => (locked ??= lockedReleases(view, project.context.usage, deps.registry, deps.cache)) })
        : [];
      return {
        ...(api?.diff ? { apiDiff: api.diff } : {}),
        affectsYou: api?.affectsYou ?? null,
        signals: [...(api?.signals ?? []), ...dependents, ...optional, ...pythonContractSignals({
          name: bump.name,
          from,
          to,
          between,
          ...(project ? { project: project.view, importsOf: (module: string) => usageOf(project.context.usage, module, [module]).files.flatMap((file) => file.imports.map((site) => ({ file: file.file, line: site.line }))) } : {}),
        })],
        contract: { from: contractFields(from), to: contractFields(to) },
        marks: view ? projectMarks(bump, view) : {},
      };
    },
    promptFacts: projectLines,
    unsupported(facts) {
      const range = facts?.python?.range;
      if (!range) return undefined;
      // Thousands of versions share a handful of requires_python values: each is judged once.
      const judged = new Map<string, string | undefined>();
      return (needs) => {
        if (!judged.has(needs)) {
          const excluded = firstExcludedPython(range, needs);
          judged.set(needs, excluded ? `needs Python ${needs}; the project allows ${excluded} (${facts.python?.source})` : undefined);
        }
        return judged.get(needs);
      };
    },
  };
}

// What the contract rules compared, as Claude is shown it (quotable as `manifest`).
function contractFields(release: PypiRelease): object {
  return {
    version: release.version,
    requires_python: release.requiresPython ?? null,
    requires_dist: release.requiresDist.filter((text) => !/\bextra\s*==/.test(text)),
    provides_extra: release.providesExtra,
    top_level: release.topLevel,
    files: release.files.map((file) => file.filename),
  };
}

function projectMarks(bump: Bump, view: NonNullable<Parameters<EcosystemReview["analyze"]>[0]["project"]>["view"]): Pick<BumpReview, "declared" | "usedBy"> {
  const declared = (view.facts.declared.get(bump.name) ?? []).map((declaration) => ({ ...declaration, leavesRange: !pep440Versioning.allows(declaration.range, bump.to) }));
  const usedBy = view.codeAvailable ? { files: view.usage.files.map((file) => file.file), sites: view.usage.sites.length } : null;
  return { ...(declared.length > 0 ? { declared } : {}), usedBy };
}

function projectLines(review: BumpReview, project: ProjectContext): string[] {
  const python = project.facts.python;
  return [
    `Python it supports: ${python?.range ?? "not declared"}${python?.range ? ` (${python.source})` : ""}`,
    `${review.name} is a ${review.dev ? "dev-only" : "production"} dependency${review.declared?.length ? `, declared as ${review.declared.map((declaration) => `"${declaration.range || "any version"}"${declaration.exactPin ? " (exact pin)" : ""}`).join(", ")}` : ""}`,
  ];
}
