import type { ApiAnalyzer, ApiDiff, ApiUnavailable } from "./api/index.js";
import { definitelyTypedName } from "./api/entries.js";
import { apiSignals } from "./api/signals.js";
import { usedExports } from "./api/used.js";
import { contractSignals } from "./contract/index.js";
import { type ProjectContext, type ProjectView, viewFor } from "../../analysis/project-view.js";
import { type CompilerSettings, nodeSupportFor } from "../../project/facts.js";
import type { RegistryClient } from "../../registry/contract.js";
import type { VersionManifest } from "./registry/packument.js";
import type { BumpReview } from "../../review-types.js";
import { npmDescription } from "./describe.js";
import { nodeNotes } from "./notes/runtime.js";
import type { Bump, Signal } from "../../types.js";
import { emptyUsage } from "../../usage/record.js";
import type { PackageUsage } from "../../usage/types.js";
import { importedName } from "./usage/index.js";
import type { EcosystemReview } from "../types.js";
import { semverVersioning } from "./versioning.js";

export interface ApiDependencies {
  analyzer: ApiAnalyzer;
  /** Which bumps to diff (default: all). */
  wanted?: (bump: Bump) => boolean;
}

/** How npm reads the project for a bump: usage by the name code imports, the facts Claude is told. */
export const npmProjectReading: Pick<EcosystemReview, "ecosystem" | "describe" | "usage" | "promptFacts"> = {
  ecosystem: "npm",
  describe: npmDescription,
  usage: async (project, bump) => project.usage.packages.get(importedName(bump.name)) ?? emptyUsage(importedName(bump.name)),
  promptFacts: (review, project) => projectLines(review, project),
};

/** npm's part of a bump review: package.json contract rules and the type-declaration diff. */
export function npmReview(deps: { registry: RegistryClient<VersionManifest>; api?: ApiDependencies }): EcosystemReview<VersionManifest> {
  // The API diffs started while planning, by bump.
  const started = new Map<string, Promise<ApiDiff | ApiUnavailable | undefined>>();
  const pairKey = (bump: Bump) => `${bump.name}@${bump.from}..${bump.to}`;

  /** The API diff a bump gets (the one started while planning, when there is one) and how it was asked for. */
  async function apiDiffFor(bump: Bump, from: VersionManifest, to: VersionManifest, project: { context: ProjectContext; view: ProjectView } | undefined, early?: Promise<ApiDiff | ApiUnavailable | undefined>) {
    const usage = project?.view.codeAvailable ? project.view.usage : undefined;
    const proofTarget = project && usage && usage.files.length > 0
      ? {
          dir: project.context.dir,
          files: usage.files.map((file) => file.file),
          truncated: usage.truncated,
          importedAs: importedName(bump.name),
          sites: [...usage.sites, ...usage.requires].map(({ file, line }) => ({ file, line })),
          ...(project.context.usage.fingerprint ? { fingerprint: project.context.usage.fingerprint } : {}),
        }
      : undefined;
    // The type comparison is the costly tier: only for packages the project's code imports (or with no project, as in
    // explain), from files the compiler can check: a type-shape change reaching JavaScript that no checker reads
    // is an inference no proof can confirm (issue 26: never above risky), not worth its cost.
    const compareTypes = !usage || (proofTarget !== undefined && checkable(usage, project?.view.facts.compiler));
    // Code that only require()s the package sees its CommonJS declarations: compare those (require with require).
    const resolution = usage && usage.requires.length > 0 && usage.files.every((file) => file.imports.every((site) => site.kind === "cjs")) ? "require" : "import";
    // Cost follows usage: a package no source file imports is not compared (its contract and notes still are),
    // and one it imports is compared on the exports its code uses and what they reach.
    const imported = !usage || usage.files.length > 0;
    const used = usage && usage.files.length > 0 ? usedExports(usage) : undefined;
    const wanted = deps.api !== undefined && imported && (deps.api.wanted?.(bump) ?? true);
    // JavaScript the project does not typecheck gets a comparison bounded by its value (api/index.ts).
    const javascriptOnly = usage !== undefined && usage.files.length > 0 && usage.files.every(({ file }) => /\.[mc]?jsx?$/.test(file)) && project?.view.facts.compiler?.checkJs !== true;
    const api = !wanted || !deps.api ? undefined : ((await early) ?? (await deps.api.analyzer.diff(bump.name, from, to, { ...(proofTarget ? { project: proofTarget } : {}), review: compareTypes, resolution, javascriptOnly, ...(used ? { used } : {}), ...(project ? { installed: project.view.facts.installed } : {}) })));
    return { api, usage, compareTypes, proofTarget };
  }

  return {
    versioning: semverVersioning,
    runtimeNotes: nodeNotes,
    // DefinitelyTyped publishes @types packages from its repository with no changelog and no releases.
    notesAbsence: (name) => (name.startsWith("@types/") ? `${name} has no release notes (DefinitelyTyped publishes @types packages without any); the type comparison is the evidence` : undefined),
    registry: deps.registry,
    ...npmProjectReading,
    prepare(bump, context) {
      if (!deps.api || !(deps.api.wanted?.(bump) ?? true) || started.has(pairKey(bump))) return;
      const work = (async () => {
        const [from, to] = await Promise.all([deps.registry.manifest(bump.name, bump.from), deps.registry.manifest(bump.name, bump.to)]);
        const view = context ? viewFor(context, bump, await npmProjectReading.usage(context, bump)) : undefined;
        return (await apiDiffFor(bump, from, to, context && view ? { context, view } : undefined)).api;
      })();
      // A failure here is met again, and reported, by the review's own call.
      started.set(pairKey(bump), work.catch(() => undefined));
    },
    async analyze({ bump, from, to, between, project }) {
      const signals = contractSignals({ name: bump.name, from, to, between, ...(project ? { project: project.view } : {}) });
      const { api, usage, compareTypes, proofTarget } = await apiDiffFor(bump, from, to, project, started.get(pairKey(bump)));
      const fromApi = api ? apiSignals(api, usage, bump.to) : undefined;
      signals.push(...(fromApi?.signals ?? []).filter((signal) => !coveredByContract(signal, signals)));
      if (api && !("unavailable" in api) && proofTarget && !compareTypes) {
        signals.push({ analyzer: "api-diff", rule: "api/types-not-compared", severity: "info", strength: "inferred", message: "type shapes were not compared: only JavaScript files the compiler does not check (no checkJs) import it; removed exports and changed call arity were" });
      }
      return {
        signals,
        affectsYou: fromApi?.affectsYou ?? null,
        ...(api ? { apiDiff: api } : {}),
        contract: { from: contractFields(from), to: contractFields(to) },
        marks: project ? projectMarks(bump, project.view) : {},
      };
    },
  };
}

/**
 * Whether the compiler checks a file that imports the package: TypeScript, or JavaScript under `checkJs`
 * (a project without a tsconfig has its JavaScript use sites checked as `checkJs` would).
 */
export function checkable(usage: Pick<PackageUsage, "files">, compiler: CompilerSettings | undefined): boolean {
  return usage.files.some(({ file }) => /\.[mc]?tsx?$/.test(file) || (/\.[mc]?jsx?$/.test(file) && (compiler === undefined || compiler.checkJs === true)));
}

// A subpath gone from "exports" is already a contract finding.
function coveredByContract(signal: Signal, signals: Signal[]): boolean {
  return signal.rule === "api/subpath-removed" && signals.some((other) => other.rule === "contract/exports-removed" && other.symbols?.some((symbol) => signal.symbols?.includes(symbol)));
}

type ContractFields = Pick<VersionManifest, "version" | "type" | "exports" | "main" | "module" | "types" | "engines" | "peerDependencies" | "installScripts">;

function contractFields(manifest: VersionManifest): ContractFields {
  const { version, type, exports, main, module, types, engines, peerDependencies, installScripts } = manifest;
  return JSON.parse(JSON.stringify({ version, type, exports, main, module, types, engines, peerDependencies, installScripts })) as ContractFields;
}

/** The facts shown on the bump's row: how the project declares it, and whether its code uses it. */
function projectMarks(bump: Bump, project: ProjectView): Pick<BumpReview, "declared" | "usedBy"> {
  const declared = (project.facts.declared.get(bump.name) ?? [])
    .filter((declaration) => bump.importers.includes(declaration.importer))
    .map((declaration) => ({ ...declaration, leavesRange: !semverVersioning.allows(declaration.range, bump.to) }));
  const usedBy = project.codeAvailable ? { files: project.usage.files.map((file) => file.file), sites: project.usage.sites.length } : null;
  return { ...(declared.length > 0 ? { declared } : {}), usedBy };
}

// The "type" of the package.json files that declare the bump (a workspace member's own, not the root's):
// "module", or "module in packages/cli, commonjs in ." when they differ.
export function moduleTypeOf(importers: string[], types: ReadonlyMap<string, "module" | "commonjs">): string {
  const own = (importers.length > 0 ? importers : ["."]).map((importer) => [importer, types.get(importer) ?? types.get(".") ?? "commonjs"] as const);
  const kinds = new Set(own.map(([, type]) => type));
  return kinds.size === 1 ? (own[0]?.[1] ?? "commonjs") : own.map(([importer, type]) => `${type} in ${importer}`).join(", ");
}

// The facts that decide a bump, as Claude is told them.
function projectLines(review: BumpReview, project: ProjectContext): string[] {
  const facts = project.facts;
  const node = nodeSupportFor(facts, review.importers);
  const lines = [
    `Node.js it supports: ${node.range ?? "not declared"}${node.range ? ` (${node.source})` : ""}`,
    `Module type: ${moduleTypeOf(review.importers, facts.moduleType)}; language: ${facts.language}${facts.compiler ? `; tsconfig module ${facts.compiler.module ?? "default"}, moduleResolution ${facts.compiler.moduleResolution ?? "default"}` : ""}`,
    `${review.name} is a ${review.dev ? "dev-only" : "production"} dependency${review.declared?.length ? `, declared as ${review.declared.map((declaration) => `"${declaration.range}"${declaration.exactPin ? " (exact pin)" : ""} in ${declaration.importer}`).join(", ")}` : ""}`,
  ];
  const types = facts.installed.get(definitelyTypedName(importedName(review.name)));
  if (types && !review.name.startsWith("@types/")) lines.push(`Installed ${definitelyTypedName(review.name)}: ${types.join(", ")}`);
  const proof = review.apiDiff && "proof" in review.apiDiff ? review.apiDiff.proof : undefined;
  if (proof && "diagnostics" in proof) {
    lines.push(proof.diagnostics.length === 0 ? `Its ${proof.checkedFiles} importing file(s) typecheck against the new declarations${proof.unjudged ? ` (${proof.unjudged} use site(s) could not be judged: the same type error with the old declarations)` : ""}.` : `Typechecking its code against the new declarations fails: ${proof.diagnostics.slice(0, 5).map((diagnostic) => `${diagnostic.file}:${diagnostic.line} ${diagnostic.message}`).join("; ")}`);
  }
  return lines;
}

