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
