import path from "node:path";
import type { EcosystemDetection } from "../detection.js";

export const pythonLockfileNames = ["uv.lock", "poetry.lock", "Pipfile.lock", "pylock.toml", "requirements.txt"] as const;

export const pypiDetection: EcosystemDetection = {
  ecosystem: "pypi",
  lockfileNames: pythonLockfileNames,
  manifestNames: ["pyproject.toml", "Pipfile", "requirements.in"],
  // Pinned requirements files have any name: requirements/prod.txt, constraints.pip, pylock.dev.toml.
  claims: (lockfilePath) => {
    const base = path.basename(lockfilePath);
    return (pythonLockfileNames as readonly string[]).includes(base) || /\.(txt|pip)$/i.test(base) || /^pylock\.[^/]+\.toml$/.test(base);
  },
};
