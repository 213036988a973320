import path from "node:path";
import { createRequire } from "node:module";
import type { CompilerSettings } from "../../project/facts.js";

/** The tsconfig's module settings with `extends` followed, as the compiler reads them. */
export function compilerSettings(tsconfigPath: string): CompilerSettings | { error: string } {
  // Required, not imported: Node's ESM loader would first scan all of typescript.js for its exports (~0.2 s).
  const ts = createRequire(import.meta.url)("typescript") as typeof import("typescript");
  const read = ts.readConfigFile(tsconfigPath, ts.sys.readFile);
  if (read.error) return { error: `tsconfig.json does not load (${ts.flattenDiagnosticMessageText(read.error.messageText, " ")}); module settings unknown` };
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(tsconfigPath), undefined, tsconfigPath);
  // 18002 (an empty "files" list) and 18003 (no inputs found) are about which files to compile: harmless for the settings.
  const fatal = parsed.errors.find((error) => error.code !== 18002 && error.code !== 18003);
  if (fatal) return { error: `tsconfig.json does not load (${ts.flattenDiagnosticMessageText(fatal.messageText, " ")}); module settings unknown` };
  const settings: CompilerSettings = { file: "tsconfig.json" };
  if (parsed.options.module !== undefined) settings.module = ts.ModuleKind[parsed.options.module];
  if (parsed.options.moduleResolution !== undefined) settings.moduleResolution = ts.ModuleResolutionKind[parsed.options.moduleResolution];
  if (parsed.options.checkJs === true) settings.checkJs = true;
  return settings;
}
