import type { EcosystemDescription } from "../types.js";

export const npmDescription: EcosystemDescription = {
  packageNoun: "an npm package",
  versionHint: "version (expected x.y.z)",
  release: (name, version) => `${name}@${version}`,
  registryFlag: "registry",
  registryName: "npm registry",
  // Scoped names keep their slash in npmjs.com's URLs; the @ is written as is.
  releasePage: (name, version) => `https://www.npmjs.com/package/${name.split("/").map(encodeURIComponent).join("/").replace(/^%40/, "@")}/v/${encodeURIComponent(version)}`,
};
