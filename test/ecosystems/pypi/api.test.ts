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

// Wheels recorded from PyPI (fixtures/pypi/README.md): httpx whole (0.28 removed `proxies=` and `app=`), the others trimmed to their sources.
function wheelSurface(file: string, root = "httpx", leaveOut: string[] = []) {
  const entries = unzipSync(new Uint8Array(readFileSync(path.join(fixturesDir, "pypi/files", file))), { filter: (entry) => entry.name.startsWith(`${root}/`) && /\.pyi?$/.test(entry.name) && !leaveOut.includes(entry.name) });
  return packageSurface(new Map(Object.entries(entries).map(([name, bytes]) => [name, new TextDecoder().decode(bytes)])));
}

const before = wheelSurface("httpx-0.27.0-py3-none-any.whl");
const after = wheelSurface("httpx-0.28.1-py3-none-any.whl");

async function projectUsing(source: string, name = "httpx") {
  const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-pyapi-"));
  await writeFile(path.join(dir, "client.py"), source);
  return usageOf(await scanPythonUsage(dir), name, [name]);
}

const parametersOf = (surface: ReturnType<typeof wheelSurface>, module: string, name: string, method?: string) => {
  const definition = resolve(new Map(surface), module, name);
  if (definition === undefined || typeof definition !== "object") return undefined;
  if (definition.kind === "function") return definition.parameters;
  return definition.kind === "class" ? definition.methods.find(([defined]) => defined === method)?.[1] : undefined;
};

describe("the public API of a wheel, from its .py files", () => {
  it("follows re-exports: httpx.AsyncClient is the class defined in httpx._client, with its __init__ parameters", () => {
    const definition = resolve(new Map(before), "httpx", "AsyncClient");
    expect(definition).toMatchObject({ kind: "class" });
    const init = definition !== undefined && typeof definition === "object" && definition.kind === "class" ? definition.methods.find(([name]) => name === "__init__")?.[1] : undefined;
    expect(init?.find((parameter) => parameter.name === "proxies")).toEqual({ name: "proxies", kind: "keyword-only", default: "None", handlesNone: true });
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

describe("parameters and defaults, read from real wheels", () => {
  const yaml601 = wheelSurface("PyYAML-6.0.1-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "yaml");
  const yaml603 = wheelSurface("pyyaml-6.0.3-cp310-cp310-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl", "yaml");

  it("a default that is a bare name is a value: PyYAML's dump(data, stream=None, Dumper=Dumper, **kwds) has three parameters and **kwds", () => {
    expect(parametersOf(yaml601, "yaml", "dump")).toEqual([
      { name: "data", kind: "positional", default: null },
      { name: "stream", kind: "positional", default: "None", handlesNone: true },
      { name: "Dumper", kind: "positional", default: "Dumper" },
      { name: "kwds", kind: "var-keyword", default: null },
    ]);
    // load(stream, Loader) really requires its Loader.
    expect(parametersOf(yaml601, "yaml", "load")).toEqual([
      { name: "stream", kind: "positional", default: null },
      { name: "Loader", kind: "positional", default: null },
    ]);
  });

  it("calls, attributes and sentinels are defaults too (openai's OpenAI.__init__: timeout=NOT_GIVEN, max_retries=DEFAULT_MAX_RETRIES)", () => {
    const init = parametersOf(wheelSurface("openai-1.108.0-py3-none-any.whl", "openai"), "openai", "OpenAI", "__init__") ?? [];
    expect(init.map((parameter) => [parameter.name, parameter.default])).toEqual([
      ["api_key", "None"],
      ["organization", "None"],
      ["project", "None"],
      ["webhook_secret", "None"],
      ["base_url", "None"],
      ["websocket_base_url", "None"],
      ["timeout", "NOT_GIVEN"],
      ["max_retries", "DEFAULT_MAX_RETRIES"],
      ["default_headers", "None"],
      ["default_query", "None"],
      ["http_client", "None"],
      ["_strict_response_validation", "False"],
    ]);
  });

  it("yaml.dump(data, stream) from 6.0.1 to 6.0.3 requires nothing new", async () => {
    const usage = await projectUsing("import yaml\n\nwith open('out.yml', 'w') as out:\n    yaml.dump({'a': 1}, out)\n    yaml.safe_dump({'a': 1}, out, sort_keys=False)\n", "yaml");
    expect(usage.sites.length).toBeGreaterThan(0);
    const { signals } = pythonApiSignals(yaml601, yaml603, usage, "6.0.3");
    expect(signals).toEqual([]);
  });
});

describe("stubs are compared with stubs, sources with sources", () => {
  const multidict610 = wheelSurface("multidict-6.1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "multidict");
  const multidict620 = wheelSurface("multidict-6.2.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "multidict");
  const source = "from multidict import MultiDict, CIMultiDict\n\nheaders = CIMultiDict()\nheaders.add('Accept', 'text/html')\nquery = MultiDict([('a', '1')])\nquery.getall('a', [])\n";

  it("multidict 6.2 dropped its __init__.pyi: its names are not 'removed' (the 6.1 stub against the 6.2 source said they were)", async () => {
    const usage = await projectUsing(source, "multidict");
    const { signals } = pythonApiSignals(multidict610, multidict620, usage, "6.2.0");
    expect(signals.filter((signal) => signal.severity !== "info")).toEqual([]);
    // Both sources import the classes in a try/except or if/else: the reader follows those imports.
    expect(resolve(new Map(multidict620), "multidict", "MultiDict")).toMatchObject({ kind: "class" });
  });

  it("a module that is only a stub on one side and only a source on the other is said to be skipped", async () => {
    // As a wheel whose module is compiled and shipped with its stub only: 6.1.0 without its __init__.py.
    const stubOnly = wheelSurface("multidict-6.1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "multidict", ["multidict/__init__.py"]);
    const usage = await projectUsing(source, "multidict");
    const { signals, affectsYou } = pythonApiSignals(stubOnly, multidict620, usage, "6.2.0");
    expect(signals.map((signal) => [signal.rule, signal.severity])).toEqual([["api/py-stub-vs-source", "info"]]);
    expect(signals[0]?.message).toBe("multidict was not compared: the old version ships a .pyi stub and the new one only its .py source");
    expect(affectsYou).toBe(false);
  });
});

describe("a default changed for the same meaning is info", () => {
  it("openai 1.109 swapped NOT_GIVEN for not_given: a sentinel for a sentinel", async () => {
    const usage = await projectUsing("from openai import OpenAI\n\nclient = OpenAI(api_key='k')\n", "openai");
    const { signals, affectsYou } = pythonApiSignals(wheelSurface("openai-1.108.0-py3-none-any.whl", "openai"), wheelSurface("openai-1.109.1-py3-none-any.whl", "openai"), usage, "1.109.1");
    expect(signals.map((signal) => [signal.rule, signal.severity, signal.message])).toEqual([
      ["api/py-default-changed", "info", 'OpenAI(): the default of `timeout` changed from NOT_GIVEN to not_given (both mark "not given")'],
    ]);
    expect(affectsYou).toBe(false);
  });

  it("fastapi's jsonable_encoder(custom_encoder={}) became None and the body does `custom_encoder or {}`; APIRouter.get's status_code=200 → None stays risky", async () => {
    const usage = await projectUsing("from fastapi import APIRouter\nfrom fastapi.encoders import jsonable_encoder\n\nrouter = APIRouter()\nrouter.get('/items')\njsonable_encoder({'a': 1})\n", "fastapi");
    const { signals } = pythonApiSignals(wheelSurface("fastapi-0.65.1-py3-none-any.whl", "fastapi"), wheelSurface("fastapi-0.128.8-py3-none-any.whl", "fastapi"), usage, "0.128.8");
    const defaults = signals.filter((signal) => signal.rule === "api/py-default-changed").map((signal) => [signal.severity, signal.message]);
    expect(defaults).toContainEqual(["info", "jsonable_encoder(): the default of `custom_encoder` changed from {} to None (the function makes the empty value itself)"]);
    expect(defaults).toContainEqual(["risky", "APIRouter.get(): the default of `status_code` changed from 200 to None, and this call relies on it"]);
  });
});
