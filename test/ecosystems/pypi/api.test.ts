import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { pythonApiSignals } from "../../../src/ecosystems/pypi/api/diff.js";
import { packageSurface, resolve } from "../../../src/ecosystems/pypi/api/surface.js";
import { scanPythonUsage, usageOf } from "../../../src/ecosystems/pypi/usage/index.js";
import { fixturesDir } from "../../helpers/fake-registry.js";

// The whole httpx wheels recorded from PyPI (fixtures/pypi/README.md): 0.28 removed `proxies=` and `app=`.
function wheelSurface(file: string) {
  const entries = unzipSync(new Uint8Array(readFileSync(path.join(fixturesDir, "pypi/files", file))), { filter: (entry) => /^httpx\/.*\.pyi?$/.test(entry.name) });
  return packageSurface(new Map(Object.entries(entries).map(([name, bytes]) => [name, new TextDecoder().decode(bytes)])));
}

const before = wheelSurface("httpx-0.27.0-py3-none-any.whl");
const after = wheelSurface("httpx-0.28.1-py3-none-any.whl");

async function projectUsing(source: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-pyapi-"));
  await writeFile(path.join(dir, "client.py"), source);
  return usageOf(await scanPythonUsage(dir), "httpx", ["httpx"]);
}

describe("the public API of a wheel, from its .py files", () => {
  it("follows re-exports: httpx.AsyncClient is the class defined in httpx._client, with its __init__ parameters", () => {
    const definition = resolve(new Map(before), "httpx", "AsyncClient");
    expect(definition).toMatchObject({ kind: "class" });
    const init = definition !== undefined && typeof definition === "object" && definition.kind === "class" ? definition.methods.find(([name]) => name === "__init__")?.[1] : undefined;
    expect(init?.find((parameter) => parameter.name === "proxies")).toEqual({ name: "proxies", kind: "keyword-only", default: "None" });
    expect(resolve(new Map(before), "httpx", "NoSuchName")).toBe("missing");
  });
});

describe("API changes judged at the project's call sites", () => {
  it("a removed keyword the project passes is breaking, at its line", async () => {
    const usage = await projectUsing("import httpx\n\nclient = httpx.AsyncClient(proxies='http://proxy:3128', timeout=5)\n");
    const { signals, affectsYou } = pythonApiSignals(before, after, usage, "0.28.1");
    expect(signals.find((signal) => signal.message.includes("`proxies`"))).toMatchObject({
      rule: "api/py-parameter-removed",
      severity: "breaking",
      message: "AsyncClient(): the parameter `proxies` was removed, and this call passes it",
      touches: [{ file: "client.py", line: 3 }],
    });
    expect(affectsYou).toBe(true);
  });

  it("the same removal where the project does not pass it is only said", async () => {
    const usage = await projectUsing("import httpx\n\nasync def go():\n    async with httpx.AsyncClient(timeout=5.0) as client:\n        return await client.post('http://x', json={})\n");
    const { signals, affectsYou } = pythonApiSignals(before, after, usage, "0.28.1");
    expect(signals.filter((signal) => signal.severity !== "info")).toEqual([]);
    expect(signals.map((signal) => signal.message)).toContain("AsyncClient(): the parameter `proxies` was removed; this call does not pass it");
    expect(affectsYou).toBe(false);
  });

  it("a name the project uses that is gone is breaking; a default the call relies on that changed is risky", async () => {
    const surface = (source: string) => packageSurface(new Map([["pkg/__init__.py", source]]));
    const old = surface("def fetch(url, timeout=5):\n    pass\ndef legacy():\n    pass\n");
    const now = surface("def fetch(url, timeout=30):\n    pass\n");
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-pyapi-"));
    await writeFile(path.join(dir, "app.py"), "from pkg import fetch, legacy\nfetch('u')\nlegacy()\nfetch('u', timeout=1)\n");
    const usage = usageOf(await scanPythonUsage(dir), "pkg", ["pkg"]);
    const { signals } = pythonApiSignals(old, now, usage, "2.0");
    expect(signals.map((signal) => [signal.rule, signal.severity, signal.touches])).toEqual([
      ["api/py-default-changed", "risky", [{ file: "app.py", line: 2 }]],
      ["api/py-removed", "breaking", [{ file: "app.py", line: 3 }]],
    ]);
  });
});
