import { parseYaml } from "./yaml.js";
import { z } from "zod";
import { describeSchemaError } from "../schema.js";
import { LockfileFormatError, type LockfileReader, type LockNode, type LockRoot } from "./types.js";

// An importer's dependency: v6+ writes { specifier, version }, v5 wrote the version alone.
const importerDependency = z.union([z.string(), z.looseObject({ version: z.string() })]);
const importerSchema = z.looseObject({
  dependencies: z.record(z.string(), importerDependency).optional(),
  devDependencies: z.record(z.string(), importerDependency).optional(),
  optionalDependencies: z.record(z.string(), importerDependency).optional(),
});
const packageSchema = z.looseObject({
  resolution: z.looseObject({ tarball: z.string().optional(), type: z.string().optional() }).optional(),
  dev: z.boolean().optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
  optionalDependencies: z.record(z.string(), z.string()).optional(),
});
const lockSchema = z.looseObject({
  lockfileVersion: z.union([z.string(), z.number()]),
  importers: z.record(z.string(), importerSchema).optional(),
  packages: z.record(z.string(), packageSchema).optional(),
  snapshots: z.record(z.string(), packageSchema).optional(),
  ...importerSchema.shape,
});

export const pnpmReader: LockfileReader = {
  manager: "pnpm",
  fileNames: ["pnpm-lock.yaml"],
  accepts: (content) => /^lockfileVersion:/m.test(content),
  parse(content) {
    let document: unknown;
    try {
      document = parseYaml(content);
    } catch (error) {
      throw new LockfileFormatError(`not valid YAML (${(error as Error).message.split("\n")[0]})`);
    }
    const parsed = lockSchema.safeParse(document);
    if (!parsed.success) throw new LockfileFormatError(`not a pnpm lockfile (${describeSchemaError(parsed.error)})`);
    const lock = parsed.data;
    const major = Number.parseFloat(String(lock.lockfileVersion));
    if (!(major >= 6)) {
      throw new LockfileFormatError(`pnpm lockfile version ${lock.lockfileVersion} is not supported (6.0 and 9.0 are)`);
    }
    const keyPrefix = major >= 9 ? "" : "/";
    const nodes = new Map<string, LockNode>();
    // v9 splits resolution ("packages", keyed name@version) from the graph ("snapshots", with peer suffixes).
    const graphEntries = lock.snapshots ?? lock.packages ?? {};
    for (const [key, entry] of Object.entries(graphEntries)) {
      const id = parseKey(key);
      if (!id) continue;
      const resolution = (lock.packages?.[`${keyPrefix}${id.name}@${id.version}`] ?? entry).resolution;
      if (resolution?.tarball || resolution?.type) continue;
      const dependencies = Object.entries({ ...entry.dependencies, ...entry.optionalDependencies }).map(
        ([name, reference]) => referenceKey(keyPrefix, name, reference),
      );
      nodes.set(key, {
        name: id.name,
        version: id.version,
        dependencies,
        ...(major < 9 ? { dev: entry.dev === true } : {}),
      });
    }
    const importers = lock.importers ?? { ".": lock };
    const roots: LockRoot[] = [];
    for (const [importer, fields] of Object.entries(importers)) {
      for (const [field, dev] of [
        ["dependencies", false],
        ["optionalDependencies", false],
        ["devDependencies", true],
      ] as const) {
        for (const [name, dependency] of Object.entries(fields[field] ?? {})) {
          const reference = typeof dependency === "string" ? dependency : dependency.version;
          const nodeId = referenceKey(keyPrefix, name, reference);
          if (nodes.has(nodeId)) roots.push({ importer, name, nodeId, dev });
        }
      }
    }
    return { nodes, roots };
  },
};

// "/@scope/name@1.2.3(peer@1.0.0)" or "name@1.2.3" → name and version; links and files are skipped.
function parseKey(key: string): { name: string; version: string } | undefined {
  const bare = (key.startsWith("/") ? key.slice(1) : key).replace(/\(.*$/, "");
  const at = bare.lastIndexOf("@");
  if (at <= 0) return undefined;
  const version = bare.slice(at + 1);
  return /^\d/.test(version) ? { name: bare.slice(0, at), version } : undefined;
}

// A dependency reference is a version ("1.2.3(peer@1)") or, for an alias, a full key ("real@1.2.3").
function referenceKey(prefix: string, name: string, reference: string): string {
  if (reference.startsWith("/")) return reference;
  if (/^(@[^/]+\/)?[^@(]+@/.test(reference)) return `${prefix}${reference}`;
  return `${prefix}${name}@${reference}`;
}
