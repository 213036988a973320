// A project's usage as the JSON cache holds it: its Maps (keyed by names from code) as entry lists.
import type { PackageUsage, ProjectUsage, UseKind } from "./types.js";

type StoredPackage = Omit<PackageUsage, "uses"> & { uses: [string, UseKind[]][] };
export type StoredUsage = Omit<ProjectUsage, "packages"> & { packages: [string, StoredPackage][] };

export function storedUsage(project: ProjectUsage): StoredUsage {
  return { ...project, packages: [...project.packages].map(([name, usage]) => [name, { ...usage, uses: [...usage.uses] }]) };
}

export function revivedUsage(stored: StoredUsage): ProjectUsage {
  return { ...stored, packages: new Map(stored.packages.map(([name, usage]) => [name, { ...usage, uses: new Map(usage.uses) }])) };
}
