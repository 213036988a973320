import type { Ecosystem } from "../types.js";

/**
 * What marks a project of an ecosystem: known before its plugin (and its parsers, index client and
 * tools) is loaded, so a run loads only its own ecosystem's.
 */
export interface EcosystemDetection {
  readonly ecosystem: Ecosystem;
  /** Lockfile names looked for in a project folder, in detection order. */
  readonly lockfileNames: readonly string[];
  /** Files that mark a project with no lockfile yet: its ecosystem says how to make one. */
  readonly manifestNames: readonly string[];
  /** Whether a path given with --lockfile is this ecosystem's to read. */
  claims(lockfilePath: string): boolean;
}
