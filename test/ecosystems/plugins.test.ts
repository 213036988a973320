import { mkdtemp, readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { detectEcosystem, ecosystems } from "../../src/ecosystems/index.js";
import type { EcosystemPlugin } from "../../src/ecosystems/run.js";
import { supportTable } from "../../src/cli/support-table.js";
import { InputError } from "../../src/errors.js";
import { noCache, openCache } from "../../src/registry/cache.js";
import { RegistryError } from "../../src/registry/contract.js";
import type { Ecosystem } from "../../src/types.js";
import { versionsBetween } from "../../src/versioning.js";
import { fixturesDir, startFakeRegistry } from "../helpers/fake-registry.js";
import { startFakeIndex } from "../helpers/fake-pypi.js";

// One contract over the registered map: a new ecosystem is tested here the moment it is listed, once
// the table below says where its fixture projects are and how its fake registry starts.
interface PluginWorld {
  projects: string[];
  /** A package its fake registry serves from recorded answers. */
  known: string;
  start(): Promise<{ url: string; close(): Promise<void>; stall(name: string): void }>;
}

const worlds: { [K in Ecosystem]: PluginWorld } = {
  npm: {
    projects: ["demo", "lockfiles/npm-v2", "lockfiles/pnpm-v9", "lockfiles/yarn-berry", "lockfiles/yarn-classic"],
    known: "express",
    async start() {
      const registry = await startFakeRegistry();
      return { url: registry.url, close: () => registry.close(), stall: (name) => registry.override(name, { delayMs: 5_000 }) };
    },
  },
  pypi: {
    projects: ["demo-python", "lockfiles/py-poetry", "lockfiles/py-pip-tools", "lockfiles/py-pipenv", "lockfiles/py-pylock"],
    known: "fastapi",
    async start() {
      const index = await startFakeIndex();
      return { url: index.url, close: () => index.close(), stall: (name) => {
          for (const prefix of [`/simple/${name}`, `/pypi/${name}`]) index.override(prefix, { status: 200, delayMs: 5_000 });
        },
      };
    },
  },
};

const failure = async (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => (error instanceof RegistryError ? error.code : String(error)));

describe("every registered ecosystem keeps the plugin contract", () => {
  it("the README's support table is the one the plugins declare (npx tsx scripts/support-table.ts writes it)", async () => {
    expect(await readFile(path.resolve(import.meta.dirname, "../../README.md"), "utf8")).toContain(supportTable());
  });

  it("the map's keys are the plugin folders", async () => {
    const folders = (await readdir(path.resolve(import.meta.dirname, "../../src/ecosystems"), { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(Object.keys(ecosystems).sort()).toEqual(folders.sort());
  });

  for (const id of Object.keys(ecosystems) as Ecosystem[]) {
    describe(id, () => {
      const world = worlds[id];
      const opened: (() => Promise<void>)[] = [];
      afterAll(async () => {
        for (const close of opened) await close();
      });

      it("detects its fixture projects, and its inventory has the normal form", async () => {
        for (const project of world.projects) {
          const projectDir = path.join(fixturesDir, project);
          const plugin = await detectEcosystem(projectDir, {});
          expect(plugin.ecosystem, project).toBe(id);
          const inventory = await plugin.readInventory({ projectDir });
          const keys = inventory.packages.map((pkg) => `${pkg.name}@${pkg.version}`);
          expect(new Set(keys).size, `${project}: each name@version once`).toBe(keys.length);
          expect(inventory.packages.some((pkg) => pkg.direct), project).toBe(true);
        }
      });

      it("it writes a branch for exactly the managers it says it does", async () => {
        const entry = ecosystems[id];
        for (const project of world.projects) {
          const projectDir = path.join(fixturesDir, project);
          const plugin = await entry.load();
          const inventory = await plugin.readInventory({ projectDir });
          const support = entry.managers.find((candidate) => candidate.manager === inventory.manager);
          expect(support, `${project}: ${inventory.manager} is declared`).toBeDefined();
          const writer = plugin.lockWriter(inventory, { projectDir, env: {}, offline: true }).then(() => "writes", (error: unknown) => (error instanceof InputError ? "refuses" : String(error)));
          expect(await writer, `${project}: ${inventory.manager}`).toBe(support?.branch ? "writes" : "refuses");
        }
      });

      it("its versioning keeps the laws planning relies on, on the versions its projects lock", async () => {
        const server = await world.start();
        opened.push(() => server.close());
        const plugin: EcosystemPlugin = await ecosystems[id].load();
        const run = await plugin.open({ projectDir: fixturesDir, env: {}, registryUrl: server.url, offline: false, cache: noCache, maxConnections: 4 });
        opened.push(() => run.close());
        const { versioning } = run.review;
        const inventory = await plugin.readInventory({ projectDir: path.join(fixturesDir, world.projects[0]!) });
        const versions = [...new Set(inventory.packages.map((pkg) => pkg.version))].slice(0, 60);
        for (const version of versions) {
          const normal = versioning.normalise(version);
          expect(normal, `${version} reads as a version`).not.toBeNull();
          expect(versioning.normalise(normal!), `normalise is idempotent on ${version}`).toBe(normal);
        }
        for (const a of versions.slice(0, 20)) {
          for (const b of versions.slice(0, 20)) {
            expect(Math.sign(versioning.compare(a, b)), `${a} vs ${b}`).toBe(-Math.sign(versioning.compare(b, a)) || 0);
            if (versioning.inLine(a, b, "patch")) expect(versioning.inLine(a, b, "minor"), `${a} → ${b}: patch in line implies minor in line`).toBe(true);
          }
        }
        const sorted = [...versions].sort(versioning.compare);
        const [from, to] = [sorted[0]!, sorted.at(-1)!];
        const between = versionsBetween(versioning, versions, from, to);
        expect(between).toEqual([...between].sort(versioning.compare));
        expect(between).not.toContain(from);
      });

      it("its registry says not-found, offline and timeout, never 'not published'", async () => {
        const server = await world.start();
        opened.push(() => server.close());
        const plugin = await ecosystems[id].load();
        const open = async (offline: boolean, cacheDir?: string) => {
          const run = await plugin.open({ projectDir: fixturesDir, env: {}, registryUrl: server.url, offline, cache: cacheDir ? openCache(cacheDir) : noCache, maxConnections: 4, requestTimeoutMs: 300 });
          opened.push(() => run.close());
          return run.review.registry;
        };
        const online = await open(false);
        expect(await failure(online.packument("no-such-package-anywhere"))).toBe("not-found");
        const cold = await open(true, await mkdtemp(path.join(os.tmpdir(), "bumpwise-contract-")));
        expect(await failure(cold.packument(world.known))).toBe("offline");
        server.stall(world.known);
        expect(await failure(online.packument(world.known))).toBe("timeout");
      }, 20_000);
    });
  }
});
