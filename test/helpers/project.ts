import type { ProjectView } from "../../src/analysis/project-view.js";
import { type FactsInput, projectFacts } from "../../src/ecosystems/npm/facts.js";
import { emptyUsage } from "../../src/usage/record.js";
import { usageInFile } from "../../src/ecosystems/npm/usage/index.js";
import { type PackageUsage } from "../../src/usage/types.js";
import type { Inventory } from "../../src/types.js";

/** A project view built the way the review builds it, from a package.json, installed versions and usage. */
export function projectView(options: {
  manifest?: Record<string, unknown>;
  installed?: [string, string][];
  nodeFiles?: FactsInput["nodeFiles"];
  usage?: PackageUsage;
  name?: string;
  codeAvailable?: boolean;
  planned?: [string, string][];
  manager?: Inventory["manager"];
}): ProjectView {
  const inventory: Inventory = {
    ecosystem: "npm",
    manager: options.manager ?? "npm",
    lockfilePath: "package-lock.json",
    packages: (options.installed ?? []).map(([name, version]) => ({ name, version, direct: true, dev: false, importers: ["."] })),
  };
  const facts = projectFacts({ manifests: new Map([[".", options.manifest ?? {}]]), inventory, nodeFiles: options.nodeFiles ?? {}, typescript: false });
  return { facts, codeAvailable: options.codeAvailable ?? true, usage: options.usage ?? emptyUsage(options.name ?? "pkg"), importers: ["."], planned: new Map(options.planned ?? []) };
}

/** How one source file uses a package, as the scanner records it. */
export async function usageOf(name: string, file: string, source: string): Promise<PackageUsage> {
  const usage = await usageInFile(name, file, source);
  if ("error" in usage) throw new Error(usage.error);
  return usage;
}
