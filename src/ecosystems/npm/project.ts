import { readFile } from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";
import { readProjectManifests } from "./lockfile/project.js";
import type { Inventory } from "../../types.js";
import { type CompilerSettings, type ProjectFacts } from "../../project/facts.js";
import { projectFacts } from "./facts.js";

/** Reads the files that decide a project's facts (package.json files, .nvmrc, .node-version, tsconfig) once. */
export async function readProjectFacts(projectDir: string, inventory: Inventory): Promise<ProjectFacts> {
  const manifests = await readProjectManifests(projectDir);
  const nvmrc = await readOptional(path.join(projectDir, ".nvmrc"));
  const nodeVersion = await readOptional(path.join(projectDir, ".node-version"));
  const tsconfigPath = path.join(projectDir, "tsconfig.json");
  const hasTsconfig = (await readOptional(tsconfigPath)) !== undefined;
  const compiler = hasTsconfig ? compilerSettings(tsconfigPath) : undefined;
  return projectFacts({
    manifests,
    inventory,
    nodeFiles: { ...(nvmrc !== undefined ? { nvmrc } : {}), ...(nodeVersion !== undefined ? { nodeVersion } : {}) },
    ...(compiler ? { compiler } : {}),
    typescript: hasTsconfig || manifests.get(".")?.devDependencies?.typescript !== undefined,
  });
}

/** The tsconfig's module settings with `extends` followed, as the compiler reads them. */
export function compilerSettings(tsconfigPath: string): CompilerSettings | { error: string } {
  // Loaded only for a project with a tsconfig, and required: Node's ESM loader would first scan all of typescript.js (~0.2 s).
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

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch {
    return undefined;
  }
}
