import path from "node:path/posix";
import { createRequire } from "node:module";
import type * as TS from "typescript";
import { environmentTypes } from "./dependencies.js";

// Required, not imported: Node's ESM loader would first scan all of typescript.js for its exports (~0.2 s).
const ts = createRequire(import.meta.url)("typescript") as typeof TS;

/** Where each version's package is mounted in the in-memory file system the compiler sees. */
export const mountRoot = "/__bumpwise__";
export const compareFile = `${mountRoot}/compare.ts`;

export function packageRoot(side: "from" | "to", name: string): string {
  return `${mountRoot}/${side}/node_modules/${name}`;
}

/** Where a dependency both versions load at the same version is mounted once, for both sides to find. */
export function sharedRoot(name: string): string {
  return `${mountRoot}/node_modules/${name}`;
}

export const compareOptions: TS.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
  types: [],
  noUnusedLocals: false,
};

// The standard library is parsed once per thread: it is most of the work of a small program.
const libraryFiles = new Map<string, TS.SourceFile>();

// So are the environment's declarations (@types/node, 2.6-3.8 MB), mounted where both sides of every pair
// find them: kept per path while their text is the same (a pair over another version replaces them).
const environmentRoots = environmentTypes.map((name) => `${sharedRoot(name)}/`);
const environmentFiles = new Map<string, TS.SourceFile>();

// Declarations' JSDoc carries no types and nothing here reads it; not parsing it saves about a fifth of the parse.
const declarationParsing = (languageVersion: TS.ScriptTarget | TS.CreateSourceFileOptions): TS.CreateSourceFileOptions => ({
  ...(typeof languageVersion === "object" ? languageVersion : { languageVersion }),
  jsDocParsingMode: ts.JSDocParsingMode.ParseNone,
});

/**
 * A compiler host over in-memory files, falling back to the real disk only for TypeScript's own lib
 * files (and, when `disk` is set, for everything outside the mount).
 */
export function memoryHost(files: ReadonlyMap<string, string>, options: TS.CompilerOptions, disk = false): TS.CompilerHost {
  const host = ts.createCompilerHost(options);
  const libraryDir = path.dirname(ts.getDefaultLibFilePath(options));
  const directories = new Set<string>();
  for (const file of files.keys()) {
    for (let dir = path.dirname(file); dir.length > 1 && !directories.has(dir); dir = path.dirname(dir)) directories.add(dir);
  }
  const onDisk = (file: string) => file.startsWith(libraryDir) || (disk && !file.startsWith(mountRoot));
  const readDisk = host.readFile.bind(host);
  host.fileExists = (file) => files.has(file) || (onDisk(file) && ts.sys.fileExists(file));
  // "./" (@types/react 19.3's `export { JSX } from "./"`) asks for the directory with a trailing slash.
  host.directoryExists = (dir) => {
    const bare = dir.length > 1 ? dir.replace(/\/+$/, "") : dir;
    return directories.has(bare) || bare === mountRoot || (onDisk(bare) && ts.sys.directoryExists(bare));
  };
  host.readFile = (file) => files.get(file) ?? (onDisk(file) ? readDisk(file) : undefined);
  host.getDirectories = (dir) => (onDisk(dir) ? ts.sys.getDirectories(dir) : []);
  host.realpath = (file) => file;
  host.getSourceFile = (file, languageVersion) => {
    const content = files.get(file);
    if (content !== undefined && options === compareOptions && environmentRoots.some((root) => file.startsWith(root))) {
      const known = environmentFiles.get(file);
      if (known?.text === content) return known;
      const parsed = ts.createSourceFile(file, content, declarationParsing(languageVersion));
      environmentFiles.set(file, parsed);
      return parsed;
    }
    if (content !== undefined) return ts.createSourceFile(file, content, declarationParsing(languageVersion));
    if (!onDisk(file)) return undefined;
    const isLibrary = file.startsWith(libraryDir);
    const cached = isLibrary ? libraryFiles.get(file) : undefined;
    if (cached) return cached;
    const text = readDisk(file);
    if (text === undefined) return undefined;
    // The project's own files (a proof) keep their JSDoc: with checkJs it carries their types.
    const sourceFile = ts.createSourceFile(file, text, isLibrary ? declarationParsing(languageVersion) : languageVersion);
    if (isLibrary) libraryFiles.set(file, sourceFile);
    return sourceFile;
  };
  host.writeFile = () => undefined;
  return host;
}

/** Parses the standard library before the first pair, so no pair's budget pays for it. */
export function warmUp(): void {
  const files = new Map([[compareFile, "export {};"]]);
  ts.createProgram([compareFile], compareOptions, memoryHost(files, compareOptions)).getTypeChecker();
}

/** The module specifier that reaches a declaration file under bundler resolution ("x.d.mts" → "x.mjs"). */
export function specifierFor(file: string): string {
  return file.replace(/\.d\.mts$/, ".mjs").replace(/\.d\.cts$/, ".cjs").replace(/\.d\.ts$/, ".js");
}
