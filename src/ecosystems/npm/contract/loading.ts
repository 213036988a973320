import type { VersionManifest } from "../registry/packument.js";
import type { Signal } from "../../../types.js";
import type { DeepImport } from "../../../usage/types.js";
import { exportedSubpaths, exportsResolve } from "./exports.js";
import { places, type ProjectView } from "../../../analysis/project-view.js";
import { contractSignal, decidedBy, fragment } from "../../../analysis/contract/signal.js";

// How the project's code loads the package decides whether a change to how it loads matters.
function loaders(project: ProjectView | undefined) {
  if (!project?.codeAvailable) return undefined;
  const usage = project.usage;
  return { imported: usage.files.length > 0, requires: usage.requires, deepImports: usage.deepImports };
}

const noCode = "the project's code was not available to check";

/** "type": "module": breaking only for code that require()s the package. */
export function moduleType(from: VersionManifest, to: VersionManifest, project: ProjectView | undefined): Signal[] {
  const wasModule = from.type === "module";
  const isModule = to.type === "module";
  if (wasModule === isModule) return [];
  const quote = fragment("type", to.type ?? "commonjs");
  const code = loaders(project);
  if (!isModule) {
    const message = `switched from "type": "module" to CommonJS`;
    if (code && !code.imported) return [decidedBy(contractSignal("type-commonjs", "info", `${message}; the project's code does not import it`, to.version, quote), "not imported by the project's code")];
    // Only named ESM imports depend on Node detecting a CommonJS module's exports.
    const named = project?.usage.files.flatMap((file) => file.imports.filter((site) => site.kind === "esm" && site.bindings.some((binding) => binding.imported !== "default" && binding.imported !== "*")).map((site) => ({ file: file.file, line: site.line })));
    if (code && named?.length === 0) return [decidedBy(contractSignal("type-commonjs", "info", `${message}; the project loads it with require() or a default import, which CommonJS serves as before`, to.version, quote), "no named ESM import")];
    return [decidedBy(contractSignal("type-commonjs", "risky", named?.length ? `${message}; named imports at ${places(named)} depend on Node detecting its exports` : message, to.version, quote), named?.length ? `named imports at ${places(named)}` : undefined, named)];
  }
  const stillRequirable = exportedSubpaths(to.exports).some((entry) => entry.conditions.includes("require"));
  const switched = `switched to "type": "module"${stillRequirable ? ` (exports keeps a "require" condition)` : ""}`;
  if (!code) return [contractSignal("type-module", stillRequirable ? "risky" : "breaking", project ? `${switched}; ${noCode}` : `${switched}: require() of this package may fail`, to.version, quote)];
  if (code.requires.length === 0) {
    return [decidedBy(contractSignal("type-module", "info", `${switched}; the project's code ${code.imported ? "loads it only with import" : "does not load it"}`, to.version, quote), code.imported ? "loaded with import only" : "not imported by the project's code")];
  }
  const where = places(code.requires);
  if (stillRequirable) return [decidedBy(contractSignal("type-module", "risky", `${switched}; the project require()s it at ${where}`, to.version, quote), `require() at ${where}`, code.requires)];
  return [decidedBy(contractSignal("type-module", "breaking", `${switched}: the project require()s it at ${where}, which may fail`, to.version, quote), `require() at ${where}`, code.requires)];
}

/** An "exports" map added or narrowed: breaking when the project deep-imports a subpath it no longer lists. */
export function exportsMap(from: VersionManifest, to: VersionManifest, project: ProjectView | undefined): Signal[] {
  if (to.exports === undefined) return [];
  const added = from.exports === undefined;
  const after = new Set(exportedSubpaths(to.exports).map((entry) => entry.subpath));
  const removed = added ? [] : exportedSubpaths(from.exports).map((entry) => entry.subpath).filter((subpath) => !after.has(subpath));
  if (!added && removed.length === 0) return [];
  const rule = added ? "exports-added" : "exports-removed";
  const listed = removed.slice(0, 10).join(", ") + (removed.length > 10 ? ` and ${removed.length - 10} more` : "");
  const change = added ? `an "exports" map was added: deep imports of files it does not list stop resolving` : `exports no longer provides ${listed}`;
  const make = (severity: Signal["severity"], message: string) => ({ ...contractSignal(rule, severity, message, to.version), ...(removed.length > 0 ? { symbols: removed } : {}) });
  const code = loaders(project);
  if (!code) return [make(added ? "risky" : project ? "risky" : "breaking", project ? `${change}; ${noCode}` : change)];
  const broken: DeepImport[] = code.deepImports.filter((deep) => (from.exports === undefined || exportsResolve(from.exports, deep.subpath)) && !exportsResolve(to.exports, deep.subpath));
  if (broken.length > 0) {
    const subpaths = [...new Set(broken.map((deep) => deep.subpath))].join(", ");
    const why = added ? `the "exports" map added in ${to.version} does not list ${subpaths}` : `${to.version} no longer exports ${subpaths} (${removed.length} subpath(s) removed)`;
    return [decidedBy(make("breaking", `${why}, which the project imports at ${places(broken)}`), `deep import at ${places(broken)}`, broken)];
  }
  const how = code.deepImports.length > 0 ? "its deep imports still resolve" : code.imported ? "the project imports only the package root" : "the project's code does not import it";
  return [decidedBy(make("info", `${change}; ${how}`), how)];
}

/** "main" removed without an exports map: require() of the root fails. Other entry fields matter less. */
export function entryPoints(from: VersionManifest, to: VersionManifest, project: ProjectView | undefined): Signal[] {
  const signals: Signal[] = [];
  const coveredByExports = to.exports !== undefined;
  const code = loaders(project);
  for (const field of ["main", "module", "types"] as const) {
    if (from[field] === undefined || to[field] !== undefined) continue;
    const message = `"${field}" (${from[field]}) was removed from package.json`;
    const severe = field === "main" && !coveredByExports;
    // Bundlers read "module" only when there is no "exports" map.
    if (field === "module" && coveredByExports) {
      signals.push(contractSignal("module-removed", "info", `${message}; the "exports" map decides what bundlers load`, to.version));
      continue;
    }
    if (!code) {
      signals.push(contractSignal(`${field}-removed`, severe && !project ? "breaking" : "risky", project ? `${message}; ${noCode}` : message, to.version));
    } else if (!code.imported) {
      signals.push(decidedBy(contractSignal(`${field}-removed`, "info", `${message}; the project's code does not import it`, to.version), "not imported by the project's code"));
    } else if (severe && code.requires.length > 0) {
      signals.push(decidedBy(contractSignal(`${field}-removed`, "breaking", `${message}: the project require()s it at ${places(code.requires)}`, to.version), `require() at ${places(code.requires)}`, code.requires));
    } else {
      signals.push(contractSignal(`${field}-removed`, "risky", message, to.version));
    }
  }
  return signals;
}
