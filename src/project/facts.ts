import type { PackageManager } from "../types.js";

/** The Node.js versions a project (or one workspace) says it runs on, and where that was read. */
export interface NodeSupport {
  /** A semver range; null when the project declares none (or declares one bumpwise cannot read). */
  range: string | null;
  source: "engines.node" | ".nvmrc" | ".node-version" | "volta.node" | "none";
  /** Why the declared value was not usable, when it was not. */
  note?: string;
}

/** How one importer declares a dependency. */
export interface Declaration {
  importer: string;
  range: string;
  dev: boolean;
  /** An exact version ("6.1.1" or "=6.1.1"): the project chose not to move. */
  exactPin: boolean;
  /** Python: the extras asked for (`httpx[http2]`). */
  extras?: string[];
}

export interface CompilerSettings {
  file: string;
  module?: string;
  moduleResolution?: string;
  /** The compiler checks the project's JavaScript files too. */
  checkJs?: boolean;
}

/**
 * What the project itself declares: read once per review, and what every project-relative rule
 * compares a bump with. Everything keyed by a package or importer name is a Map.
 */
/** The runtime the project declares it runs on (its root), as the report states it: "Node.js >=18 (engines.node)". */
export interface RuntimeFacts {
  name: "Node.js" | "Python";
  /** A range in the ecosystem's syntax; null when the project declares none. */
  range: string | null;
  /** Where it was read, or the places looked at when nothing declares one. */
  source: string;
}

export interface ProjectFacts {
  /** The runtime, whatever the ecosystem: what the report says every verdict was measured against. */
  runtime: RuntimeFacts;
  /** npm: the Node range per importer ("." is the root); a workspace without its own declaration inherits the root's. Empty for Python. */
  node: Map<string, NodeSupport>;
  /** npm: package.json "type" per importer. Empty for Python. */
  moduleType: Map<string, "module" | "commonjs">;
  /** Every version of every package in the lockfile. */
  installed: Map<string, string[]>;
  /** Per package, how each importer declares it. */
  declared: Map<string, Declaration[]>;
  /** Python: the production packages the project depends on itself (pyproject, or each line of a hand-pinned requirements file). */
  direct?: ReadonlySet<string>;
  language: "typescript" | "javascript" | "python";
  /** A Python project's supported Pythons (`requires-python`), where that was read; absent for npm. */
  python?: { range: string | null; source: string };
  /** The tsconfig's module settings, when there is one and it loads. */
  compiler?: CompilerSettings;
  /** The tool that installs the lockfile: what an unmet peer does depends on it (npm refuses, yarn and pnpm warn). */
  manager?: PackageManager;
  /** Facts that could not be read, said on the review. */
  notes: string[];
}

/** The Node range that decides for a bump: the importers' own, else the root's. */
export function nodeSupportFor(facts: ProjectFacts, importers: string[]): NodeSupport {
  const supports = (importers.length > 0 ? importers : ["."]).map((importer) => facts.node.get(importer) ?? facts.node.get(".") ?? noNodeSupport);
  const declaredOnes = supports.filter((support) => support.range !== null);
  if (declaredOnes.length === 0) return supports[0] ?? noNodeSupport;
  // Several workspaces: the union of what they support is what a new floor must not exclude.
  const range = [...new Set(declaredOnes.map((support) => support.range as string))].join(" || ");
  return { range, source: declaredOnes[0]?.source ?? "engines.node" };
}

export const noNodeSupport: NodeSupport = { range: null, source: "none" };

