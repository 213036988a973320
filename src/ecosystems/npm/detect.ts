import path from "node:path";
import type { EcosystemDetection } from "../detection.js";

const lockfileNames = ["npm-shrinkwrap.json", "package-lock.json", "pnpm-lock.yaml", "yarn.lock"] as const;

export const npmDetection: EcosystemDetection = {
  ecosystem: "npm",
  lockfileNames,
  manifestNames: ["package.json"],
  managers: [
    { manager: "npm", label: "npm", lockfile: "package-lock.json, npm-shrinkwrap.json", branch: true, verify: true },
    { manager: "pnpm", label: "pnpm", lockfile: "pnpm-lock.yaml", branch: true, verify: true },
    { manager: "yarn-classic", label: "yarn (classic)", lockfile: "yarn.lock", branch: true, verify: true },
    { manager: "yarn-berry", label: "yarn (berry)", lockfile: "yarn.lock", branch: true, verify: true },
  ],
  // A copy kept under another name (package-lock.ci.json, pnpm-lock.old.yaml) is still npm's.
  claims: (lockfilePath) => {
    const base = path.basename(lockfilePath);
    return (lockfileNames as readonly string[]).includes(base) || /\.(json|ya?ml)$/i.test(base) || base.endsWith("yarn.lock");
  },
};
