import type { EcosystemDescription } from "../types.js";

export const pypiDescription: EcosystemDescription = {
  packageNoun: "a Python distribution on PyPI",
  versionHint: "PEP 440 version",
  release: (name, version) => `${name} ${version}`,
  registryFlag: "indexUrl",
  registryName: "Python package index (PyPI)",
  releasePage: (name, version) => `https://pypi.org/project/${encodeURIComponent(name)}/${encodeURIComponent(version)}/`,
};
