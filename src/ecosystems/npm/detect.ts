import path from "node:path";
import type { EcosystemDetection } from "../detection.js";

const lockfileNames = ["npm-shrinkwrap.json", "package-lock.json", "pnpm-lock.yaml", "yarn.lock"] as const;

export const npmDetection: EcosystemDetection = {
  ecosystem: "npm",
  lockfileNames,
  manifestNames: ["package.json"],
  // A copy kept under another name (package-lock.ci.json, pnpm-lock.old.yaml) is still npm's.
  claims: (lockfilePath) => {
    const base = path.basename(lockfilePath);
    return (lockfileNames as readonly string[]).includes(base) || /\.(json|ya?ml)$/i.test(base) || base.endsWith("yarn.lock");
  },
};
