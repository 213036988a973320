import type { EcosystemDescription } from "../ecosystems/types.js";

/** The registry the user named for this ecosystem: --index-url for Python (--registry also accepted), --registry for npm. */
export function registryFlag(describe: EcosystemDescription, flags: { registry?: string; indexUrl?: string }): string | undefined {
  return describe.registryFlag === "indexUrl" ? (flags.indexUrl ?? flags.registry) : flags.registry;
}
