import { cp, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pypiEcosystem } from "../../../src/ecosystems/pypi/plugin.js";
import { fixturesDir } from "../../helpers/fake-registry.js";

// A requirements-file project declares no requires-python; the Python it runs on is its .python-version.
async function project(pythonVersion?: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-pyfacts-"));
  await cp(path.join(fixturesDir, "lockfiles/py-pip-tools"), dir, { recursive: true });
  if (pythonVersion !== undefined) await writeFile(path.join(dir, ".python-version"), pythonVersion);
  return dir;
}

describe("the Python a project runs on", () => {
  it.each([
    ["3.10\n", "==3.10.*"],
    ["3.11.7\n", "==3.11.7"],
    ["# pyenv\npython3.12\n", "==3.12.*"],
  ])(".python-version %j is the declared Python %s when nothing else declares one", async (text, range) => {
    const dir = await project(text);
    const inventory = await pypiEcosystem.readInventory({ projectDir: dir });
    const reading = await pypiEcosystem.readProject(dir, inventory, []);
    expect(reading.facts.python).toEqual({ range, source: ".python-version" });
  });

  it("a .python-version that names no Python release (pypy, a virtualenv name) is not read as one", async () => {
    const dir = await project("my-venv\n");
    const inventory = await pypiEcosystem.readInventory({ projectDir: dir });
    expect((await pypiEcosystem.readProject(dir, inventory, [])).facts.python).toEqual({ range: null, source: "none" });
  });
});
