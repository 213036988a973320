import type { DeclarationsSource } from "../../../analysis/api-diff.js";
import type { TypesEntry, TypesManifest } from "./entries.js";

/** One version's published declarations: every .d.ts file and the entry points they serve. */
export interface PackageDeclarations {
  name: string;
  version: string;
  /** Where the declarations came from: the package itself or its DefinitelyTyped package. */
  source: DeclarationsSource;
  manifest: TypesManifest;
  entries: TypesEntry[];
  /** Path in the package → content. */
  files: Record<string, string>;
  /** The declarations of the dependencies these import (one level), mounted beside the package. */
  dependencies?: PackageDeclarations[];
  /** Every file path in the package's own tarball (capped): what was added or removed between versions. */
  fileList?: string[];
}
