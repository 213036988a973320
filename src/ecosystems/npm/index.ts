import { readInventory } from "./lockfile/index.js";
import { readProjectFacts } from "./project.js";
import { loadRegistryOptions, withSharedTls } from "./registry/config.js";
import { createNpmRegistry } from "./registry/npm.js";
import { createTarballReader } from "./registry/tarball.js";
import { isPackagedChangelog, tarballSource } from "./notes/tarball.js";
import { isDeclarationFile } from "./api/declarations.js";
import { closeProjectThread } from "./api/project-thread.js";
import { importedName, scanUsage } from "./usage/index.js";
import { npmDetection } from "./detect.js";
import type { EcosystemPlugin } from "../run.js";
import { npmLockWriter } from "./lock-writer.js";
import { npmReview } from "./review.js";
import { npmDescription } from "./describe.js";

/** npm, yarn and pnpm projects: package.json, their lockfiles, the npm registry, semver, .d.ts diffs. */
export const npmEcosystem: EcosystemPlugin = {
  ...npmDetection,
  describe: npmDescription,
  readInventory,
  async readProject(projectDir, inventory, packageNames, cache) {
    return {
      dir: projectDir,
      facts: await readProjectFacts(projectDir, inventory),
      usage: () => scanUsage(projectDir, [...new Set(packageNames.map(importedName))], cache),
    };
  },
  lockWriter: async (inventory, setup) => npmLockWriter(inventory.manager, { offline: setup.offline, ...(setup.registryUrl ? { registry: setup.registryUrl } : {}) }),
  ciSetup: async () => ({ testCommand: "npm test" }),
  async open(setup) {
    const loaded = await loadRegistryOptions({ projectDir: setup.projectDir, env: setup.env, ...(setup.registryUrl ? { registry: setup.registryUrl } : {}) });
    loaded.maxSockets = setup.maxConnections;
    const options = await withSharedTls(loaded);
    const registry = createNpmRegistry({ options, cache: setup.cache, offline: setup.offline, ...(setup.requestTimeoutMs ? { timeoutMs: setup.requestTimeoutMs } : {}) });
    // One tarball reader for the notes and the API diff: each read keeps what either reads (a release's
    // changelog, its declarations), so a tarball is downloaded once whichever asks first.
    const keep = { ...(setup.notes ? { always: isPackagedChangelog } : {}), ...(setup.api ? { bounded: isDeclarationFile } : {}) };
    const tarballs = createTarballReader({ options, offline: setup.offline, keep });
    // Each optional stage loads its libraries (pacote, Octokit, TypeScript workers) only when used.
    const notes = setup.notes
      ? (await import("../../changelog/setup.js")).releaseNotesSetup({
          packaged: tarballSource({ tarballs, cache: setup.cache }),
          scope: options.registry,
          cache: setup.cache,
          offline: setup.offline,
          github: setup.notes.github,
          githubApiUrl: setup.notes.githubApiUrl,
          env: setup.env,
        })
      : undefined;
    const api = setup.api
      ? {
          ...(await import("./api/setup.js")).apiDiffSetup({ tarballs, registry, cache: setup.cache, ...(setup.api.budgetMs ? { budget: { timeoutMs: setup.api.budgetMs } } : {}) }),
          ...(setup.api.wanted ? { wanted: setup.api.wanted } : {}),
        }
      : undefined;
    const close = async () => {
      await api?.analyzer.close();
      await closeProjectThread();
    };
    return { review: npmReview({ registry, ...(api ? { api } : {}) }), ...(notes ? { notes } : {}), close };
  },
};
