import path from "node:path";
import { createRequire } from "node:module";
import type * as TS from "typescript";

// Required, not imported: Node's ESM loader would first scan all of typescript.js for its exports (~0.2 s).
const ts = createRequire(import.meta.url)("typescript") as typeof TS;
import { OverBudget } from "./diff.js";
import { environmentTypes } from "./dependencies.js";
import { memoryHost, mountRoot } from "./program.js";
import { type ConfigGroup, configGroups } from "./project-configs.js";
import { regionDiagnostics, statementsOn } from "./region.js";
import type { PackageDeclarations } from "./types.js";
import type { ProofResult, ProvenDiagnostic } from "../../../analysis/api-diff.js";

/** The project files to typecheck: those that import the package. */
export interface ProofProject {
  dir: string;
  files: string[];
  /** Some importing files were left out of `files` (usage caps). */
  truncated: boolean;
  /** The specifier the project imports ("express" for @types/express). */
  importedAs: string;
  /** The project's code and configuration digest (ProjectUsage.fingerprint): a proof is cached under it. */
  fingerprint?: string;
  /** Where the code uses the package (file → lines): a JavaScript project without a config is checked at these lines only. */
  sites?: { file: string; line: number }[];
}

const maxFiles = 200;

/**
 * Typechecks the project's files that import the package against the new and (when that leaves any) the old
 * declarations, with the project's own compiler options, and returns the diagnostics only the new
 * declarations produce. Only the package changes between the two runs, so each one is its doing.
 * Past `deadline` (performance.now()) the checker stops at its next checkpoint with OverBudget, and the
 * thread stays usable: a thread terminated and started again reloads the compiler.
 */
export function proveWithProject(project: ProofProject, from: PackageDeclarations, to: PackageDeclarations, deadline = Number.POSITIVE_INFINITY): ProofResult {
  const cancellation: TS.CancellationToken = {
    isCancellationRequested: () => performance.now() > deadline,
    throwIfCancellationRequested: () => {
      if (performance.now() > deadline) throw new OverBudget();
    },
  };
  // Each importing file with the config that checks it (its nearest tsconfig.json: one per app in a monorepo).
  const results = configGroups(project.dir, project.files).map((group) => proveGroup({ ...project, files: group.files }, group, from, to, cancellation));
  return results.length === 1 && results[0] ? results[0] : merged(results, project);
}

function proveGroup(project: ProofProject, group: ConfigGroup, from: PackageDeclarations, to: PackageDeclarations, cancellation: TS.CancellationToken): ProofResult {
  if (!group.config) return project.files.some((file) => javascript.test(file)) ? proveJavaScript(project, from, to, cancellation) : { skipped: "no tsconfig.json or jsconfig.json is above the importing files" };
  if (group.error || !group.options) return { skipped: group.error ?? `${path.basename(group.config)} cannot be read` };
  const options: TS.CompilerOptions = { ...group.options, noEmit: true, incremental: false, composite: false };
  const unchecked = options.checkJs === true ? [] : project.files.filter((file) => javascript.test(file));
  if (unchecked.length === 0) return compare(project, from, to, options, cancellation);
  // JavaScript files the config does not check are checked as a project without a config is, at their use
  // sites; the TypeScript files (if any) with the config, whole.
  const typed = project.files.filter((file) => !javascript.test(file));
  const results = [proveJavaScript({ ...project, files: unchecked }, from, to, cancellation), ...(typed.some((file) => typescript.test(file)) ? [compare({ ...project, files: typed }, from, to, options, cancellation)] : [])];
  return merged(results, project);
}

const typescript = /\.[mc]?tsx?$/;

// Typechecks of parts of one project's importing files (one per config; its TypeScript and its unchecked JavaScript) as one answer.
function merged(results: ProofResult[], project: ProofProject): ProofResult {
  const ran = results.filter((result): result is Exclude<ProofResult, { skipped: string }> => !("skipped" in result));
  if (ran.length === 0) return results[0] ?? { skipped: "no file the compiler can check imports the package" };
  const checkedFiles = ran.reduce((sum, result) => sum + result.checkedFiles, 0);
  const unjudged = ran.reduce((sum, result) => sum + (result.unjudged ?? 0), 0);
  return { checkedFiles, complete: !project.truncated && checkedFiles === project.files.length, diagnostics: ran.flatMap((result) => result.diagnostics), ...(unjudged > 0 ? { unjudged } : {}) };
}

const javascript = /\.[mc]?jsx?$/;
const javascriptExtensions = new Set<string>([".js", ".jsx", ".mjs", ".cjs"]);

// What `checkJs` would say with no configuration: loose, so only what the package's declarations decide shows.
const javascriptOptions: TS.CompilerOptions = {
  allowJs: true,
  checkJs: true,
  noEmit: true,
  strict: false,
  noImplicitAny: false,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Node16,
  moduleResolution: ts.ModuleResolutionKind.Node16,
  types: [],
};

/**
 * A JavaScript project without a config: its importing files are checked as `checkJs` would, and only
 * the new diagnostics at its use sites of the package count (a JavaScript file has many type errors of
 * its own; those the package's new declarations cause at the use sites are the bump's doing).
 */
function proveJavaScript(project: ProofProject, from: PackageDeclarations, to: PackageDeclarations, cancellation: TS.CancellationToken): ProofResult {
  const lines = new Map<string, Set<number>>();
  for (const site of project.sites ?? []) lines.set(site.file, (lines.get(site.file) ?? new Set()).add(site.line));
  if (lines.size === 0) return { skipped: "a JavaScript project with no use site recorded to check" };
  return compare(project, from, to, javascriptOptions, cancellation, lines);
}

/**
 * With `sites` (file → lines), only what the package's declarations decide at those lines counts, and only
 * the statements on them are checked (as an editor checks the region on screen); the project's own
 * JavaScript modules the files require are left unresolved (any), not parsed and inferred. uptime-kuma's
 * server files reach most of its code that way: 10 typechecks of whole files took 2.3 s.
 */
function compare(project: ProofProject, from: PackageDeclarations, to: PackageDeclarations, options: TS.CompilerOptions, cancellation: TS.CancellationToken, sites?: ReadonlyMap<string, ReadonlySet<number>>): ProofResult {
  const roots = project.files
    .filter((file) => typescript.test(file) || (options.checkJs === true && javascript.test(file)))
    .slice(0, maxFiles)
    .map((file) => path.resolve(project.dir, file));
  if (roots.length === 0) {
    // Vue and Svelte components: their script blocks are read for usage, but the compiler cannot check them.
    const kinds = [...new Set(project.files.map((file) => path.extname(file) || file))].sort().join(", ");
    return { skipped: `no file the compiler checks imports the package (the importing files are ${kinds})` };
  }
  const disk = diskFor(project.dir, options);
  const complete = !project.truncated && roots.length === project.files.length;
  // The new declarations first: when they leave nothing that counts, there is nothing the old ones could
  // explain away, and that typecheck is not run (uptime-kuma: none of its 10 pairs' use sites had any).
  const run: ProofRun = { project, options, roots, disk, cancellation, missing: new Set(), ...(sites ? { sites } : {}) };
  const atSites = diagnosticsWith(to, "to", run).filter((diagnostic) => !sites || sites.get(diagnostic.file)?.has(diagnostic.line) === true);
  // JavaScript runs whether or not the compiler finds the package's types (dotenv 8.6 exports "./lib/main.js"
  // with no types condition: Node16 resolution finds no declarations, require() finds the code): at such a
  // use site nothing was judged, and nothing is proven.
  const typesUnresolved = sites ? atSites.filter((diagnostic) => diagnostic.code === cannotFindModule && diagnostic.message.includes(`'${project.importedAs}`)) : [];
  const after = atSites.filter((diagnostic) => !typesUnresolved.includes(diagnostic));
  if (after.length === 0) return answer(roots.length, complete, [], typesUnresolved);
  const { proven, unjudged } = judged(after, new Set(diagnosticsWith(from, "from", run).map(key)), run);
  return answer(roots.length, complete, proven, [...typesUnresolved, ...unjudged]);
}

/**
 * The new declarations' diagnostics that prove a break, and those at use sites the compiler could not judge:
 * the same error under both versions (a name it cannot find, an import it cannot resolve), or, with packages
 * the code imports missing here (no node_modules), an "implicitly has an 'any' type": what the compiler infers
 * from them is `any`, so that is their absence as much as the bump (spliit: ts-pattern 5.9.2's `.with()`
 * handler over an env typed by zod, not installed).
 */
function judged(after: LocatedDiagnostic[], known: ReadonlySet<string>, run: ProofRun): { proven: LocatedDiagnostic[]; unjudged: LocatedDiagnostic[] } {
  const siteLines = new Set((run.project.sites ?? []).map((site) => `${site.file}:${site.line}`));
  const failedBefore = after.filter((diagnostic) => known.has(key(diagnostic)) && siteLines.has(`${diagnostic.file}:${diagnostic.line}`));
  const found = after.filter((diagnostic) => !known.has(key(diagnostic)));
  const inferred = run.missing.size > 0 ? found.filter((diagnostic) => implicitAny.has(diagnostic.code)) : [];
  return { proven: found.filter((diagnostic) => !inferred.includes(diagnostic)), unjudged: [...failedBefore, ...inferred] };
}

// A use site counts once as not judged, however many diagnostics it has.
function answer(checkedFiles: number, complete: boolean, proven: LocatedDiagnostic[], unjudged: LocatedDiagnostic[]): ProofResult {
  const lines = new Set(unjudged.map((diagnostic) => `${diagnostic.file}:${diagnostic.line}`)).size;
  return { checkedFiles, complete, diagnostics: proven.map(({ file, line, message }) => ({ file, line, message })), ...(lines > 0 ? { unjudged: lines } : {}) };
}

// "Cannot find module 'x' or its corresponding type declarations."
const cannotFindModule = 2307;
// "… implicitly has an 'any' type" (parameter, binding element, member, return, variable, element access).
const implicitAny = new Set([7005, 7006, 7008, 7010, 7011, 7019, 7031, 7034, 7053]);

type LocatedDiagnostic = ProvenDiagnostic & { code: number };

function key(diagnostic: ProvenDiagnostic): string {
  return `${diagnostic.file}:${diagnostic.line}:${diagnostic.message}`;
}

interface ProofRun {
  project: ProofProject;
  options: TS.CompilerOptions;
  roots: string[];
  disk: DiskFiles;
  cancellation: TS.CancellationToken;
  /** Use sites (file relative to the project → lines): only they are checked and count (see compare). */
  sites?: ReadonlyMap<string, ReadonlySet<number>>;
  /** Packages the project's code imports that did not resolve (not installed here), filled as the typecheck runs. */
  missing: Set<string>;
}

/**
 * What a typecheck reads from disk: the project's files and the declarations they load from its
 * node_modules, which no bump changes during a run. Each is parsed and bound once for both sides of a
 * pair; each import from one is resolved once for every pair's typecheck with the same options (umami:
 * 1.4 s of its 9 typechecks' 8.7 s was resolving the same imports again). The parsed files are not kept
 * across pairs: 6 MB of umami's source made 215 MB of syntax trees, held to the end of the run. The
 * package under review is mounted apart and never comes from here.
 */
interface DiskFiles {
  files: Map<string, TS.SourceFile>;
  resolutions: TS.ModuleResolutionCache;
}

let diskResolutions: { key: string; cache: TS.ModuleResolutionCache } | undefined;

function diskFor(dir: string, options: TS.CompilerOptions): DiskFiles {
  const key = `${dir}\0${JSON.stringify(options)}`;
  if (diskResolutions?.key !== key) diskResolutions = { key, cache: ts.createModuleResolutionCache(dir, (file) => file, options) };
  return { files: new Map(), resolutions: diskResolutions.cache };
}

function diagnosticsWith(declarations: PackageDeclarations, side: "from" | "to", { project, options, roots, disk, cancellation, sites, missing }: ProofRun): LocatedDiagnostic[] {
  const files = new Map<string, string>();
  // The package and the dependencies its declarations import, that side's versions, as the diff mounts them
  // (redis re-exports @redis/client: the new redis over the installed client checks nothing that changed).
  // Not the environment's types: the project's own are the ones its code is checked against.
  const own = (declarations.dependencies ?? []).filter((dependency) => !environmentTypes.includes(dependency.name));
  for (const mounted of [{ ...declarations, name: declarations.source.package, version: declarations.source.version }, ...own]) {
    const dir = `${mountRoot}/${side}/node_modules/${mounted.name}`;
    files.set(`${dir}/package.json`, JSON.stringify({ name: mounted.name, version: mounted.version, ...mounted.manifest }));
    for (const [file, content] of Object.entries(mounted.files)) files.set(`${dir}/${file}`, content);
  }
  const host = memoryHost(files, options, true);
  const readSource = host.getSourceFile;
  host.getSourceFile = (file, languageVersion) => {
    if (file.startsWith(mountRoot)) return readSource(file, languageVersion);
    const known = disk.files.get(file);
    if (known) return known;
    const read = readSource(file, languageVersion);
    if (read) disk.files.set(file, read);
    return read;
  };
  const fromMount = `${mountRoot}/${side}/index.ts`;
  const fromProject = path.join(project.dir, "index.ts");
  host.resolveModuleNameLiterals = (literals, containingFile, _redirected, compilerOptions) =>
    literals.map((literal) => {
      const specifier = literal.text;
      const mine = specifier === project.importedAs || specifier.startsWith(`${project.importedAs}/`);
      const origin = mine ? fromMount : containingFile;
      // Only an import from a file on disk of something other than the package is the same for every pair.
      const stable = !mine && !containingFile.startsWith(mountRoot);
      const resolved = ts.resolveModuleName(specifier, origin, compilerOptions, host, stable ? disk.resolutions : undefined);
      const local = resolved.resolvedModule && !resolved.resolvedModule.isExternalLibraryImport && javascriptExtensions.has(resolved.resolvedModule.extension);
      if (local && sites && !containingFile.startsWith(mountRoot)) return { resolvedModule: undefined };
      if (!resolved.resolvedModule && !mine && !containingFile.startsWith(mountRoot) && !/^[./]/.test(specifier)) missing.add(specifier);
      // The package's own imports of its dependencies resolve from the project, where they are installed.
      if (!resolved.resolvedModule && containingFile.startsWith(mountRoot)) return ts.resolveModuleName(specifier, fromProject, compilerOptions, host);
      return resolved;
    });
  const program = ts.createProgram(roots, options, host);
  // Bound now, so that the statements at the use sites can be found through their parents.
  if (sites) program.getTypeChecker();
  const diagnostics: LocatedDiagnostic[] = [];
  for (const root of roots) {
    const sourceFile = program.getSourceFile(root);
    if (!sourceFile) continue;
    cancellation.throwIfCancellationRequested();
    const lines = sites?.get(path.relative(project.dir, root));
    for (const diagnostic of regionDiagnostics(program, sourceFile, cancellation, lines && statementsOn(sourceFile, lines))) {
      const line = diagnostic.start === undefined ? 0 : sourceFile.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ").split(`${mountRoot}/${side}/node_modules/`).join("");
      diagnostics.push({ file: path.relative(project.dir, root), line, message: message.length > 500 ? `${message.slice(0, 500)}…` : message, code: diagnostic.code });
    }
  }
  return diagnostics;
}
