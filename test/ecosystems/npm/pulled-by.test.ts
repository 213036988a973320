import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readInventory } from "../../../src/ecosystems/npm/lockfile/index.js";
import { semverVersioning } from "../../../src/ecosystems/npm/versioning.js";
import { diffInventories } from "../../../src/plan/lock-diff.js";

// express and body-parser both pull debug 2.6.9 (hoisted) and ms; body-parser nests its own qs.
const lock = (debug: string, qs: string) =>
  JSON.stringify({
    name: "app",
    lockfileVersion: 3,
    packages: {
      "": { name: "app", dependencies: { express: "^4.18.2", "body-parser": "^1.20.0" } },
      "node_modules/express": { version: "4.18.2", dependencies: { debug: "2.6.9", qs: "6.11.0" } },
      "node_modules/body-parser": { version: "1.20.1", dependencies: { debug: "2.6.9", qs: "6.11.0" } },
      "node_modules/body-parser/node_modules/qs": { version: qs },
      "node_modules/qs": { version: "6.11.0" },
      "node_modules/debug": { version: debug, dependencies: { ms: "2.0.0" } },
      "node_modules/ms": { version: "2.0.0" },
    },
  });

describe("a transitive package names the direct dependencies that pull it in", () => {
  it("resolves package-lock v3 edges as Node does (nested copies first), and a lockfile change carries them", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-pulled-"));
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "app", dependencies: { express: "^4.18.2", "body-parser": "^1.20.0" } }));
    await writeFile(path.join(dir, "package-lock.json"), lock("2.6.9", "6.11.0"));
    const head = await readInventory({ projectDir: dir });
    const pulled = (name: string, version: string) => head.packages.find((pkg) => pkg.name === name && pkg.version === version)?.pulledBy;
    expect(pulled("ms", "2.0.0")).toEqual(["body-parser", "express"]);
    expect(pulled("qs", "6.11.0")).toEqual(["body-parser", "express"]);
    expect(head.packages.find((pkg) => pkg.name === "express")?.pulledBy).toBeUndefined();

    // The base, read from text (as git show gives it), is not checked against the working tree's package.json.
    const base = await readInventory({ projectDir: dir, content: lock("2.6.8", "6.10.0") });
    const changes = diffInventories(base.packages, head.packages, semverVersioning);
    // body-parser's own copy of qs went away (deduped onto the hoisted 6.11.0): removed, not upgraded.
    expect(changes.map((change) => `${change.kind} ${change.name} ${change.from ?? "-"} ${change.to ?? "-"} via ${change.pulledBy?.join(",")}`)).toEqual(["upgrade debug 2.6.8 2.6.9 via body-parser,express", "removed qs 6.10.0 - via body-parser"]);
  });
});
