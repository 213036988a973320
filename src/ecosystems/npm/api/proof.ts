import path from "node:path";
import { createRequire } from "node:module";
import type * as TS from "typescript";

// Required, not imported: Node's ESM loader would first scan all of typescript.js for its exports (~0.2 s).
const ts = createRequire(import.meta.url)("typescript") as typeof TS;
import { OverBudget } from "./diff.js";
import { memoryHost, mountRoot } from "./program.js";
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
 * Typechecks the project's files that import the package against the old and then the new
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
  const configFile = ts.findConfigFile(project.dir, ts.sys.fileExists, "tsconfig.json") ?? ts.findConfigFile(project.dir, ts.sys.fileExists, "jsconfig.json");
  const inProject = configFile !== undefined && path.resolve(configFile).startsWith(path.resolve(project.dir));
  if (!inProject) return project.files.some((file) => javascript.test(file)) ? proveJavaScript(project, from, to, cancellation) : { skipped: "the project has no tsconfig.json or jsconfig.json" };
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  if (read.error) return { skipped: `${path.basename(configFile)} cannot be read: ${ts.flattenDiagnosticMessageText(read.error.messageText, " ")}` };
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configFile));
  const options: TS.CompilerOptions = { ...parsed.options, noEmit: true, incremental: false, composite: false };
  return compare(project, from, to, options, cancellation, () => true);
}

const javascript = /\.[mc]?jsx?$/;

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
  return compare(project, from, to, javascriptOptions, cancellation, (diagnostic) => lines.get(diagnostic.file)?.has(diagnostic.line) === true);
}

function compare(project: ProofProject, from: PackageDeclarations, to: PackageDeclarations, options: TS.CompilerOptions, cancellation: TS.CancellationToken, counts: (diagnostic: ProvenDiagnostic) => boolean): ProofResult {
  const roots = project.files
    .filter((file) => /\.[mc]?tsx?$/.test(file) || (options.checkJs === true && /\.[mc]?jsx?$/.test(file)))
    .slice(0, maxFiles)
    .map((file) => path.resolve(project.dir, file));
  if (roots.length === 0) return { skipped: "no TypeScript file (or JavaScript file with checkJs) imports the package" };
  const disk = diskFor(project.dir, options);
  const before = diagnosticsWith(from, "from", { project, options, roots, disk, cancellation });
  const after = diagnosticsWith(to, "to", { project, options, roots, disk, cancellation });
  const known = new Set(before.map(key));
  const complete = !project.truncated && roots.length === project.files.length;
  return { checkedFiles: roots.length, complete, diagnostics: after.filter((diagnostic) => !known.has(key(diagnostic)) && counts(diagnostic)) };
}

function key(diagnostic: ProvenDiagnostic): string {
  return `${diagnostic.file}:${diagnostic.line}:${diagnostic.message}`;
}

interface ProofRun {
  project: ProofProject;
  options: TS.CompilerOptions;
  roots: string[];
  disk: DiskFiles;
  cancellation: TS.CancellationToken;
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

function diagnosticsWith(declarations: PackageDeclarations, side: "from" | "to", { project, options, roots, disk, cancellation }: ProofRun): ProvenDiagnostic[] {
  const packageDir = `${mountRoot}/${side}/node_modules/${declarations.source.package}`;
  const files = new Map<string, string>([[`${packageDir}/package.json`, JSON.stringify({ name: declarations.source.package, version: declarations.source.version, ...declarations.manifest })]]);
  for (const [file, content] of Object.entries(declarations.files)) files.set(`${packageDir}/${file}`, content);
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
      // The package's own imports of its dependencies resolve from the project, where they are installed.
      if (!resolved.resolvedModule && containingFile.startsWith(mountRoot)) return ts.resolveModuleName(specifier, fromProject, compilerOptions, host);
      return resolved;
    });
  const program = ts.createProgram(roots, options, host);
  const diagnostics: ProvenDiagnostic[] = [];
  for (const root of roots) {
    const sourceFile = program.getSourceFile(root);
    if (!sourceFile) continue;
    cancellation.throwIfCancellationRequested();
    for (const diagnostic of program.getSemanticDiagnostics(sourceFile, cancellation)) {
      const line = diagnostic.start === undefined ? 0 : sourceFile.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ").split(`${mountRoot}/${side}/node_modules/`).join("");
      diagnostics.push({ file: path.relative(project.dir, root), line, message: message.length > 500 ? `${message.slice(0, 500)}…` : message });
    }
  }
  return diagnostics;
}
