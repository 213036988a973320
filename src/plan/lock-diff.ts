import type { PackageHistory } from "../registry/contract.js";
import type { Bump, InstalledPackage } from "../types.js";
import { type Versioning, versionsBetween } from "../versioning.js";

/** One package whose locked version differs between the base lockfile and the working tree's. */
export interface LockChange {
  name: string;
  kind: "upgrade" | "downgrade" | "added" | "removed";
  /** The version at the base; absent when added. */
  from?: string;
  /** The version in the working tree; absent when removed. */
  to?: string;
  direct: boolean;
  dev: boolean;
  importers: string[];
  /** A transitive package: the direct dependencies that pull it in, when the lockfile records edges. */
  pulledBy?: string[];
}

/**
 * What a lockfile change moves, by name: a package locked at several versions (npm nests copies) pairs
 * its old and new versions in order, and what is left over was added or removed. Pure.
 */
export function diffInventories(base: InstalledPackage[], head: InstalledPackage[], versioning: Versioning): LockChange[] {
  const byName = (packages: InstalledPackage[]) => {
    const grouped = new Map<string, InstalledPackage[]>();
    for (const pkg of packages) grouped.set(pkg.name, [...(grouped.get(pkg.name) ?? []), pkg]);
    return grouped;
  };
  const before = byName(base);
  const after = byName(head);
  const changes: LockChange[] = [];
  const order = (a: InstalledPackage, b: InstalledPackage) => safeCompare(versioning, a.version, b.version);
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(name) ?? [];
    const now = after.get(name) ?? [];
    const removed = old.filter((pkg) => !now.some((other) => other.version === pkg.version)).sort(order);
    const added = now.filter((pkg) => !old.some((other) => other.version === pkg.version)).sort(order);
    const pairs = Math.min(removed.length, added.length);
    for (let index = 0; index < pairs; index++) {
      const from = removed[index]!;
      const to = added[index]!;
      changes.push({ name, kind: safeCompare(versioning, to.version, from.version) >= 0 ? "upgrade" : "downgrade", from: from.version, to: to.version, ...marks(to) });
    }
    for (const pkg of added.slice(pairs)) changes.push({ name, kind: "added", to: pkg.version, ...marks(pkg) });
    for (const pkg of removed.slice(pairs)) changes.push({ name, kind: "removed", from: pkg.version, ...marks(pkg) });
  }
  return changes.sort((a, b) => a.name.localeCompare(b.name) || (a.from ?? a.to ?? "").localeCompare(b.from ?? b.to ?? ""));
}

function marks(pkg: InstalledPackage): Pick<LockChange, "direct" | "dev" | "importers" | "pulledBy"> {
  return { direct: pkg.direct, dev: pkg.dev, importers: pkg.importers, ...(pkg.pulledBy ? { pulledBy: pkg.pulledBy } : {}) };
}

// A version the scheme cannot read (a git hash, a path) still sorts, after the readable ones.
function safeCompare(versioning: Versioning, a: string, b: string): number {
  const readable = (version: string) => versioning.normalise(version) !== null;
  if (readable(a) && readable(b)) return versioning.compare(a, b);
  return Number(!readable(a)) - Number(!readable(b)) || a.localeCompare(b);
}

/** The bump an upgrade in the lockfile is, majors included (the bot chose it); undefined when a version is not one the registry lists. */
export function bumpFromChange(change: LockChange, history: PackageHistory, versioning: Versioning): Bump | undefined {
  if (change.kind !== "upgrade" || !change.from || !change.to) return undefined;
  if (versioning.normalise(change.from) === null || versioning.normalise(change.to) === null) return undefined;
  return {
    name: change.name,
    from: change.from,
    to: change.to,
    type: versioning.bumpType(change.from, change.to),
    direct: change.direct,
    dev: change.dev,
    importers: change.importers,
    ...(change.pulledBy ? { pulledBy: change.pulledBy } : {}),
    versionsInBetween: versionsBetween(versioning, Object.keys(history.versions), change.from, change.to),
  };
}
