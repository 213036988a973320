import { createHash } from "node:crypto";
import semver from "semver";
import { createLimit } from "../../../concurrency.js";
import type { JsonCache } from "../../../registry/cache.js";
import type { VersionManifest } from "../registry/packument.js";
import { type DeclarationDependencies, loadDeclarations, resolvedFor } from "./declarations.js";
import { environmentTypes, sharedEnvironment } from "./dependencies.js";
import { definitelyTypedName, type Resolution } from "./entries.js";
import type { ProofProject } from "./proof.js";
import type { ProofResult } from "../../../analysis/api-diff.js";
import type { ApiDiffRunner } from "./runner.js";
import type { ApiDiff, ApiUnavailable } from "../../../analysis/api-diff.js";
import type { PackageDeclarations } from "./types.js";

export type { ApiDiff, ApiFinding, ApiUnavailable } from "../../../analysis/api-diff.js";

// Part of every cache key: a change to the rules must not be served stale results.
const analyzerVersion = "api-diff:v23";
const overBudgetRetryMs = 24 * 60 * 60 * 1000;
/** How many pairs' declarations are held, downloaded ahead of their turn, for each analysis thread. */
export const pairsLoadedPerThread = 8;

export interface ApiAnalyzer {
  /** The API difference between two published versions, cached per pair. */
  /** `review: false` skips the type comparison (for packages the project does not import). */
  /** `resolution`: how the project loads the package; both versions' entry points are resolved that way. */
  /** `used`: the export names the project's code uses; only they and what they reach are compared (cached per set). */
  /** `javascriptOnly`: only JavaScript the project does not typecheck imports it; its declarations are compared within `maxJavaScriptDeclarationChars`. */
  /** `installed`: the project's lockfile (name → versions); a dependency the declarations import is the project's copy where it has one. */
  diff(name: string, from: VersionManifest, to: VersionManifest, options?: { project?: ProofProject; review?: boolean; resolution?: Resolution; used?: string[]; javascriptOnly?: boolean; installed?: ReadonlyMap<string, string[]> }): Promise<ApiDiff | ApiUnavailable>;
  close(): Promise<void>;
}

export function createApiAnalyzer(deps: DeclarationDependencies & { cache: JsonCache; runner: ApiDiffRunner; budgetKey: string }): ApiAnalyzer {
  // A pair's declarations (with their dependencies', @types/node's 3.8 MB among them) are held from their
  // download until the pair is diffed, so not every bump under review is loaded at once; but a thread
  // must not wait for the network. With 3 pairs loaded the thread did (uptime-kuma, 42 pairs: 11.4-11.9 s);
  // with 8 the next ones had downloaded by then (10.4-10.9 s) and the peak memory was the same.
  const loaded = createLimit(deps.runner.threads * pairsLoadedPerThread);
  return {
    async diff(name, from, to, options = {}) {
      const { project, review = true, resolution = "import", used, javascriptOnly = false } = options;
      const installed = projectCopies([from, to], options.installed);
      // Keyed by what was published (integrity, else the tarball URL): another registry's same version is another package.
      const origin = (manifest: VersionManifest) => manifest.integrity ?? manifest.tarball ?? "";
      const scope = `${used ? `:used-${shortHash(used.join(" "))}` : ""}${javascriptOnly ? ":javascript" : ""}${installed.size > 0 ? `:installed-${shortHash([...installed].join(" "))}` : ""}`;
      const key = `${analyzerVersion}:${deps.budgetKey}:${review ? "full" : "confident"}:${resolution}${scope}:${name}@${from.version}..${to.version}:${shortHash(`${origin(from)} ${origin(to)}`)}`;
      const overBudget = await deps.cache.get<ApiUnavailable & { at: number }>(`${key}:over-budget`);
      if (overBudget && Date.now() - overBudget.at < overBudgetRetryMs) return { unavailable: overBudget.unavailable };
      const cached = await deps.cache.get<ApiDiff | ApiUnavailable>(key);
      if (cached && !(project && needsProof(cached))) return cached;
      // A proof is about the project's code: cached under its digest, so unchanged code is not typechecked again.
      const proofKey = project?.fingerprint ? `${key}:proof:${shortHash(`${project.fingerprint} ${project.importedAs} ${project.files.join(" ")}`)}` : undefined;
      const provenBefore = cached && proofKey ? await deps.cache.get<ProofResult & { at?: number }>(proofKey) : undefined;
      // A proof over its budget is not tried again for a day, as a diff over its budget is not.
      const provenStill = provenBefore && !("skipped" in provenBefore && /budget/.test(provenBefore.skipped) && Date.now() - (provenBefore.at ?? 0) >= overBudgetRetryMs);
      if (cached && provenBefore && provenStill && !("unavailable" in cached)) {
        const { at: _at, ...proof } = provenBefore;
        return { ...cached, proof };
      }
      return loaded(async (): Promise<ApiDiff | ApiUnavailable> => {
        let sides: Awaited<ReturnType<typeof loadDeclarations>>[];
        // A thread will be needed: it starts while the tarballs download.
        deps.runner.warm();
        try {
          sides = await Promise.all([loadDeclarations(deps, { ...from, name }, installed), loadDeclarations(deps, { ...to, name }, installed)]);
        } catch (error) {
          return { unavailable: `the declarations could not be read: ${(error as Error).message}` };
        }
        const [resolvedBefore, resolvedAfter] = sides.map((side) => ("unavailable" in side ? side : resolvedFor(side, resolution))) as [(typeof sides)[0], (typeof sides)[0]];
        const [before, after] = "unavailable" in resolvedBefore || "unavailable" in resolvedAfter ? [resolvedBefore, resolvedAfter] : sharedEnvironment(resolvedBefore, resolvedAfter);
        const files = "unavailable" in before || "unavailable" in after ? undefined : fileChanges(before, after);
        let result: ApiDiff | ApiUnavailable;
        if ("unavailable" in before) result = "unavailable" in after ? before : { unavailable: `${before.unavailable}; nothing to compare against` };
        // Declarations past the analysis cap are not declarations lost (stripe 22.3 → 22.6 crossed it).
        else if ("unavailable" in after) result = after.unread ? { unavailable: `${after.unavailable}: not compared` } : typesLost(name, before, to.version, after.unavailable);
        else if (before.source.package === after.source.package && before.source.version === after.source.version) {
          result = { unavailable: `both versions are described by the same declarations (${before.source.package}@${before.source.version})` };
        }
        else {
          const known = cached ?? unchangedDiff(before, after);
          const largest = Math.max(declarationChars(before), declarationChars(after));
          if (!known && javascriptOnly && largest > maxJavaScriptDeclarationChars) {
            // The pair's answer under this bound, the same on every machine: kept.
            const over: ApiUnavailable = { unavailable: `its declarations are ${(largest / 1e6).toFixed(1)} MB a side, past the work bound for a package only JavaScript imports (${maxJavaScriptDeclarationChars / 1e6} MB, the same on every machine); its contract and notes are still reviewed` };
            deps.cache.put(key, over);
            return over;
          }
          result = known ?? (await deps.runner.diff(before, after, review, used));
          if (files && !("unavailable" in result)) result = { ...result, files };
          // A failed run may be this machine's problem; only answers about the packages are kept, and a
          // pair that ran over its budget is not tried again for a day (it would only run over again).
          if ("unavailable" in result) {
            if (/budget/.test(result.unavailable)) deps.cache.put(`${key}:over-budget`, { ...result, at: Date.now() });
            return result;
          }
          // A comparison cut short by time is this run's, not the pair's: it is not kept, so a re-run (with
          // more time, or a quieter machine) completes it instead of repeating what a busy moment left out.
          // One cut short by the work bound or the heap is the pair's (under this budget key) and is kept.
          if (!cached && result.degraded?.reason !== "timeout") deps.cache.put(key, result);
          if (!(project && needsProof(result))) return result;
          const proof = await deps.runner.prove(project, before, after);
          // A typecheck that crashed may be this machine's problem; answers, reasons about the project (no
          // tsconfig) and budget overruns are kept.
          if (proofKey && !("skipped" in proof && proof.skipped.startsWith("the typecheck failed"))) deps.cache.put(proofKey, { ...proof, at: Date.now() });
          return { ...result, proof };
        }
        deps.cache.put(key, result);
        return result;
      });
    },
    close: () => deps.runner.close(),
  };
}

/**
 * The project's copy (the highest, when it has several) of each package either version depends on, or has as
 * a peer, and of its @types package: what the declarations' imports are compiled against. Part of the cache
 * key, so a lockfile that moves one of them compares again.
 */
function projectCopies(manifests: VersionManifest[], installed: ReadonlyMap<string, string[]> | undefined): Map<string, string> {
  const copies = new Map<string, string>();
  if (!installed) return copies;
  const names = manifests.flatMap((manifest) => [manifest.dependencies, manifest.peerDependencies, manifest.optionalDependencies].flatMap((field) => Object.keys(field ?? {})));
  for (const name of [...new Set(names.flatMap((candidate) => [candidate, definitelyTypedName(candidate)]))].sort()) {
    const versions = (installed.get(name) ?? []).filter((version) => semver.valid(version));
    if (versions.length > 0) copies.set(name, [...versions].sort(semver.rcompare)[0] ?? "");
  }
  return copies;
}

/**
 * What a package only JavaScript imports may cost: its declarations (and its dependencies', the environment's
 * types aside) up to this many characters a side are compiled and compared. For JavaScript the comparison
 * says at most "risky" and its use-site typecheck reads the same declarations again, so its cost is bounded
 * as its value is: twilio's 9.0 MB a side took 4.7 s and 500 MB of heap, then 3.0 s more for its use sites,
 * in a JavaScript app (hackathon-starter). Of the 60 pairs two real JavaScript apps compared, 2 were past it
 * (twilio 9.0 MB, langchain 5.2 MB with @langchain/core); the next was 3.8 MB.
 */
export const maxJavaScriptDeclarationChars = 4_000_000;

function declarationChars(declarations: PackageDeclarations): number {
  const chars = (files: Record<string, string>) => Object.values(files).reduce((sum, content) => sum + content.length, 0);
  const own = (declarations.dependencies ?? []).filter((dependency) => !environmentTypes.includes(dependency.name));
  return chars(declarations.files) + own.reduce((sum, dependency) => sum + chars(dependency.files), 0);
}

const maxFileChanges = 40;

// What the tarball gained and lost: a removed file is a removed deep import, whatever the notes say.
export function fileChanges(before: PackageDeclarations, after: PackageDeclarations): ApiDiff["files"] {
  if (!before.fileList || !after.fileList) return undefined;
  const [old, now] = [new Set(before.fileList), new Set(after.fileList)];
  const added = after.fileList.filter((file) => !old.has(file));
  const removed = before.fileList.filter((file) => !now.has(file));
  if (added.length === 0 && removed.length === 0) return undefined;
  return { added: added.slice(0, maxFileChanges), removed: removed.slice(0, maxFileChanges) };
}

/**
 * Two versions that publish the same declarations, resolved to the same entry points, over the same
 * dependencies' declarations, have no API difference: no thread, no compiler (a patch often ships
 * its .d.ts unchanged).
 */
export function unchangedDiff(before: PackageDeclarations, after: PackageDeclarations): ApiDiff | undefined {
  const sameEntries = before.entries.length === after.entries.length && before.entries.every((entry, at) => entry.subpath === after.entries[at]?.subpath && entry.file === after.entries[at]?.file);
  const sameDependencies = (before.dependencies ?? []).length === (after.dependencies ?? []).length && (before.dependencies ?? []).every((dependency, at) => {
    const other = after.dependencies?.[at];
    // Its package.json is mounted too: its exports decide what the package's imports resolve to.
    return other !== undefined && dependency.name === other.name && JSON.stringify(dependency.manifest) === JSON.stringify(other.manifest) && sameFiles(dependency.files, other.files);
  });
  if (!sameEntries || !sameDependencies || !sameFiles(before.files, after.files)) return undefined;
  const entries = before.entries.map((entry) => entry.subpath);
  return { from: before.source, to: after.source, entries: { from: entries, to: entries }, findings: [], identical: true, stats: { exportsFrom: 0, exportsTo: 0, milliseconds: 0 } };
}

function sameFiles(a: Record<string, string>, b: Record<string, string>): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((file) => b[file] === a[file]);
}

// A version with no declarations (types lost) has nothing to typecheck the project against.
function needsProof(result: ApiDiff | ApiUnavailable): boolean {
  return !("unavailable" in result) && result.entries.to.length > 0 && result.findings.some((finding) => finding.tier !== "info");
}

function typesLost(name: string, before: PackageDeclarations, to: string, why: string): ApiDiff {
  return {
    from: before.source,
    to: { package: name, version: to },
    entries: { from: before.entries.map((entry) => entry.subpath), to: [] },
    findings: [{ rule: "api/entry-types-lost", tier: "confident", symbol: ".", message: `${name}@${to} no longer has type declarations (${why})` }],
    stats: { exportsFrom: 0, exportsTo: 0, milliseconds: 0 },
  };
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 12);
}
