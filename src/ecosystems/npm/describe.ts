import type { EcosystemDescription } from "../types.js";

export const npmDescription: EcosystemDescription = {
  packageNoun: "an npm package",
  versionHint: "version (expected x.y.z)",
  release: (name, version) => `${name}@${version}`,
  registryFlag: "registry",
};
