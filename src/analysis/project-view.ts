import type { ProjectFacts } from "../project/facts.js";
import type { PackageUsage, ProjectUsage } from "../usage/types.js";

/** What the analyzers know about the project for one bump: its facts and how its code uses the package. */
export interface ProjectView {
  facts: ProjectFacts;
  /** Whether the project's source was read (false: a lockfile without its code). */
  codeAvailable: boolean;
  /** How the code uses this package (empty when it does not import it). */
  usage: PackageUsage;
  /** The workspaces that declare the package. */
  importers: string[];
  /** What this same upgrade moves each direct dependency to (a lockstep peer moves with it). */
  planned: ReadonlyMap<string, string>;
}

/** Where a use site is, as the report shows it. */
export function place(site: { file: string; line: number }): string {
  return `${site.file}:${site.line}`;
}

/** "src/a.ts:3, src/b.ts:9 and 4 more" */
export function places(sites: { file: string; line: number }[], shown = 3): string {
  const listed = sites.slice(0, shown).map(place).join(", ");
  return sites.length > shown ? `${listed} and ${sites.length - shown} more` : listed;
}

/**
 * The project as a review starts with it: its facts at once (planning needs them), how its code uses
 * each package on request, so that the parse runs while the registry answers, not before it is asked.
 */
export interface ProjectReading {
  dir: string;
  facts: ProjectFacts;
  usage(): Promise<ProjectUsage>;
}

/** The project as read once per review: its directory, facts, and how its code uses each package. */
export interface ProjectContext {
  dir: string;
  facts: ProjectFacts;
  usage: ProjectUsage;
  /** Filled in by the review once every bump is planned. */
  planned?: ReadonlyMap<string, string>;
  /** The workspaces' folders other than the root ("packages/api"): a file belongs to the deepest one that holds it. */
  workspaces?: readonly string[];
}

/** The view of the project that the rules get for one bump, with how its code uses the package. */
export function viewFor(project: ProjectContext, bump: { importers: string[] }, usage: PackageUsage): ProjectView {
  const own = project.workspaces?.length && bump.importers.length > 0 ? usageIn(usage, bump.importers, project.workspaces) : usage;
  return { facts: project.facts, codeAvailable: project.usage.sourceFiles > 0, usage: own, importers: bump.importers, planned: project.planned ?? new Map() };
}

/**
 * In a workspace, a package declared by some members is used by their files only: another member's
 * use of the same package is not this bump's (each member is upgraded with its own range).
 */
export function usageIn(usage: PackageUsage, importers: readonly string[], workspaces: readonly string[]): PackageUsage {
  const deepestFirst = [...workspaces].sort((a, b) => b.length - a.length);
  const owner = (file: string) => deepestFirst.find((folder) => file === folder || file.startsWith(`${folder}/`)) ?? ".";
  const mine = (item: { file: string }) => importers.includes(owner(item.file));
  const files = usage.files.filter(mine);
  if (files.length === usage.files.length) return usage;
  return {
    ...usage,
    files,
    sites: usage.sites.filter(mine),
    deepImports: usage.deepImports.filter(mine),
    requires: usage.requires.filter(mine),
    snippets: usage.snippets.filter(mine),
    ...(files.length === 0 ? { symbols: [], uses: new Map(), importsWhole: false } : {}),
  };
}
