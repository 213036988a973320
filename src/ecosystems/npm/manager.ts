import { InputError } from "../../errors.js";
import type { PackageManager } from "../../types.js";

export interface ManagerCommands {
  binary: string;
  /** Rewrites the lockfile from package.json without running any package script. */
  updateLockfile: string[];
  /** Installs exactly what the lockfile says, scripts disabled. */
  cleanInstall: string[];
}

// The lockfile is always rewritten by the package manager itself, never by hand.
export function managerCommands(manager: PackageManager): ManagerCommands {
  switch (manager) {
    case "npm":
      return { binary: "npm", updateLockfile: ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"], cleanInstall: ["ci", "--ignore-scripts", "--no-audit", "--no-fund"] };
    case "pnpm":
      return { binary: "pnpm", updateLockfile: ["install", "--lockfile-only", "--ignore-scripts"], cleanInstall: ["install", "--frozen-lockfile", "--ignore-scripts"] };
    case "yarn-classic":
      return { binary: "yarn", updateLockfile: ["install", "--ignore-scripts", "--non-interactive"], cleanInstall: ["install", "--frozen-lockfile", "--ignore-scripts", "--non-interactive"] };
    case "yarn-berry":
      return { binary: "yarn", updateLockfile: ["install", "--mode=update-lockfile"], cleanInstall: ["install", "--immutable", "--mode=skip-build"] };
    case "uv":
    case "poetry":
    case "pip":
    case "pipenv":
    case "pylock":
      throw new InputError(`--verify, --branch and --pr do not write ${manager} lockfiles yet: review without them`);
  }
}
