import path from "node:path";
import { describe, expect, it } from "vitest";
import { lockfileReaders, readInventory } from "../../../../src/ecosystems/npm/lockfile/index.js";
import { fixturesDir } from "../../../helpers/fake-registry.js";

// Expected counts were taken from the package managers themselves when the fixtures were made
// (fixtures/lockfiles/README.md): `npm ls --all --package-lock-only`, the lockfile's own entries for
// yarn and pnpm. "total" counts registry packages by name@version.
const cases = [
  { dir: "demo", manager: "npm", total: 93, direct: 12, dev: 3 },
  { dir: "lockfiles/npm-v1", manager: "npm", total: 93, direct: 12, dev: 3 },
  { dir: "lockfiles/npm-v2", manager: "npm", total: 93, direct: 12, dev: 3 },
  { dir: "lockfiles/npm-shrinkwrap", manager: "npm", total: 93, direct: 12, dev: 3 },
  { dir: "lockfiles/npm-workspaces", manager: "npm", total: 87, direct: 7, dev: 2 },
  { dir: "lockfiles/yarn-classic", manager: "yarn-classic", total: 93, direct: 12, dev: 3 },
  { dir: "lockfiles/yarn-berry", manager: "yarn-berry", total: 87, direct: 7, dev: 2 },
  { dir: "lockfiles/pnpm-v6", manager: "pnpm", total: 93, direct: 12, dev: 3 },
  // pnpm resolves follow-redirects' optional peer `debug` to the dev-declared 4.3.4, so it is not dev-only.
  { dir: "lockfiles/pnpm-v9", manager: "pnpm", total: 87, direct: 7, dev: 1 },
  // npm ls reports 1,416 install names; 3 are aliases (string-width-cjs → string-width) of packages listed anyway.
  { dir: "lockfiles/large-npm", manager: "npm", total: 1413, direct: 61, dev: 731 },
] as const;

describe.each(cases)("$dir", ({ dir, manager, total, direct, dev }) => {
  it("reads the same inventory the package manager reports", async () => {
    const inventory = await readInventory({ projectDir: path.join(fixturesDir, dir) });
    expect(inventory.manager).toBe(manager);
    expect(inventory.ecosystem).toBe("npm");
    expect(inventory.packages).toHaveLength(total);
    expect(new Set(inventory.packages.filter((p) => p.direct).map((p) => p.name)).size).toBe(direct);
    expect(inventory.packages.filter((p) => p.dev)).toHaveLength(dev);
    for (const pkg of inventory.packages) {
      expect(pkg.name).toMatch(/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i);
      expect(pkg.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(pkg.direct).toBe(pkg.importers.length > 0);
    }
    const keys = inventory.packages.map((p) => `${p.name}@${p.version}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("single-project fixtures", () => {
  it.each(["demo", "lockfiles/npm-v1", "lockfiles/yarn-classic", "lockfiles/pnpm-v6"])(
    "%s: direct versions and dev flags",
    async (dir) => {
      const inventory = await readInventory({ projectDir: path.join(fixturesDir, dir) });
      const direct = Object.fromEntries(inventory.packages.filter((p) => p.direct).map((p) => [p.name, p]));
      expect(direct.express).toMatchObject({ version: "4.18.2", dev: false, importers: ["."] });
      expect(direct.typescript).toMatchObject({ version: "5.3.3", dev: true });
      expect(direct["@sinclair/typebox"]).toMatchObject({ version: "0.31.0", dev: false });
      // express's nested debug@2.6.9 is transitive and in production.
      expect(inventory.packages.find((p) => p.name === "debug" && p.version === "2.6.9")).toMatchObject({
        direct: false,
        dev: false,
      });
    },
  );
});

describe("workspace fixtures", () => {
  it.each(["lockfiles/npm-workspaces", "lockfiles/yarn-berry", "lockfiles/pnpm-v9"])(
    "%s: each workspace's direct deps",
    async (dir) => {
      const inventory = await readInventory({ projectDir: path.join(fixturesDir, dir) });
      const find = (name: string, version: string) =>
        inventory.packages.find((p) => p.name === name && p.version === version);
      expect(find("express", "4.18.2")?.importers).toEqual(["packages/api"]);
      expect(find("axios", "1.6.0")?.importers).toEqual(["packages/web"]);
      expect(find("typescript", "5.3.3")).toMatchObject({ importers: ["."], dev: true });
      // Two workspaces declare different debug versions; each is direct for its own workspace only.
      expect(find("debug", "4.3.1")?.importers).toEqual(["packages/api"]);
      expect(find("debug", "4.3.4")?.importers).toEqual(["packages/web"]);
      // Workspace packages themselves are not registry packages.
      expect(inventory.packages.some((p) => p.name.startsWith("@demo/"))).toBe(false);
    },
  );
});

it("records an npm alias under the real package name", async () => {
  const inventory = await readInventory({ projectDir: path.join(fixturesDir, "lockfiles/large-npm") });
  expect(inventory.packages.some((p) => p.name === "string-width-cjs")).toBe(false);
  expect(inventory.packages.filter((p) => p.name === "string-width").map((p) => p.version)).toContain("4.2.3");
});

it("every reader is registered once per manager", () => {
  expect(lockfileReaders.map((reader) => reader.manager).sort()).toEqual(["npm", "pnpm", "yarn-berry", "yarn-classic"]);
});
