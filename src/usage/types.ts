/** How the project uses an imported symbol; which way values flow follows from it. */
export type UseKind = "call" | "read" | "construct" | "implement" | "extend" | "type" | "re-export";

/** One place a file imports a package. */
export interface ImportSite {
  /** "python": an `import` or `from … import` statement; `importlib.import_module()` is "dynamic". */
  kind: "esm" | "cjs" | "dynamic" | "re-export" | "python";
  specifier: string;
  line: number;
  /** Imported only for its types (`import type`, every specifier `type`). */
  typeOnly: boolean;
  /** Named imports as the package exports them ("default" and "*" included). */
  names: string[];
  /** Local identifiers bound to the package and the export each stands for ("*" or "default": the whole module). */
  bindings: { local: string; imported: string }[];
}

/**
 * One use of an imported binding. `symbol` is the export reached (a member read on a whole-module
 * binding is that export: `express.json()` uses "json"); `member` is the next name in the chain
 * (`program.option(…)` on `new Command()` uses "Command", member "option", derived).
 */
export interface UseSite {
  line: number;
  specifier: string;
  symbol: string;
  member?: string;
  /** The whole member chain after `symbol` (`webpack.optimize.SplitChunksPlugin` on a whole-module import: symbol "optimize", chain ["SplitChunksPlugin"]), when longer than `member`. */
  chain?: string[];
  kind: UseKind;
  /** Reached through a value made from the import (`const app = express(); app.use(…)`). */
  derived: boolean;
  /** Python calls: how many positional arguments, which keywords, and whether `*args`/`**kwargs` spread more. */
  arguments?: { positional: number; keywords: string[]; spread: boolean };
}

/** What one source file imports and how it uses it. */
export interface FileScan {
  imports: ImportSite[];
  uses: UseSite[];
}

export interface UsageSnippet {
  file: string;
  line: number;
  text: string;
}

/** A deep import: a file that reaches into a package below its root (`pkg/sub/path`). */
export interface DeepImport {
  /** As an `exports` key: "./sub/path". */
  subpath: string;
  file: string;
  line: number;
  kind: ImportSite["kind"];
}

/** How the project uses one package. Everything keyed by a name from code is a Map. */
export interface PackageUsage {
  name: string;
  files: { file: string; imports: ImportSite[] }[];
  /** Exports named in an import or reached by a use ("Router", "json", "default"). */
  symbols: string[];
  /** How each export is used, over every importing file; an export imported but never used has no entry. */
  uses: Map<string, UseKind[]>;
  /** Every use site with its file (capped). */
  sites: (UseSite & { file: string })[];
  deepImports: DeepImport[];
  /** The places that load the package with require() (or `import x = require()`). */
  requires: { file: string; line: number }[];
  /** Imported whole: a default, namespace or require binding (its members count as used). */
  importsWhole: boolean;
  snippets: UsageSnippet[];
  /** Some files, use sites or symbols were left out to stay within the caps (not snippets: they are a sample). */
  truncated: boolean;
  /**
   * Every export the code uses at a use site, member chains dotted ("optimize.SplitChunksPlugin"), and
   * every name it imports, over all importing files (not capped: what the API diff compares).
   */
  usedNames?: string[];
  importedNames?: string[];
  /** A whole-module binding is handed on as a value (`register(plugins)`): what it reaches cannot be told. */
  handedOn?: boolean;
}

/** The project's usage of the packages asked about, and the source files that could not be read. */
export interface ProjectUsage {
  packages: Map<string, PackageUsage>;
  /** Source files the project has (0: only a lockfile, so usage is unknown, not empty). */
  sourceFiles: number;
  /** Source files parsed (those that mention a package asked about). */
  filesScanned: number;
  skipped: { file: string; reason: string }[];
  /**
   * A digest of every source file read (path and text) and of tsconfig.json and package.json: equal
   * digests mean the same code, so a typecheck of it (the API proof) can be answered from the cache.
   */
  fingerprint?: string;
}
