import path from "node:path";
import type { EcosystemDetection } from "../detection.js";

export const pythonLockfileNames = ["uv.lock", "poetry.lock", "Pipfile.lock", "pylock.toml", "requirements.txt"] as const;

export const pypiDetection: EcosystemDetection = {
  ecosystem: "pypi",
  lockfileNames: pythonLockfileNames,
  manifestNames: ["pyproject.toml", "Pipfile", "requirements.in"],
  managers: [
    { manager: "uv", label: "uv", lockfile: "uv.lock", branch: true, verify: true },
    { manager: "poetry", label: "Poetry", lockfile: "poetry.lock", branch: true, verify: true },
    { manager: "pip", label: "pip-tools / requirements files", lockfile: "requirements.txt", branch: true, verify: true },
    { manager: "pipenv", label: "pipenv", lockfile: "Pipfile.lock", branch: true, verify: true },
    { manager: "pylock", label: "pylock (PEP 751)", lockfile: "pylock.toml", branch: false, verify: false },
  ],
  // Pinned requirements files have any name: requirements/prod.txt, constraints.pip, pylock.dev.toml.
  claims: (lockfilePath) => {
    const base = path.basename(lockfilePath);
    // A requirements .in file is claimed so that the answer says how to compile it.
    return (pythonLockfileNames as readonly string[]).includes(base) || /\.(txt|pip|in)$/i.test(base) || /^pylock\.[^/]+\.toml$/.test(base);
  },
};
