import { appendFile, cp, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scanPython } from "../../../src/ecosystems/pypi/usage/parse.js";
import { scanPythonUsage, usageOf } from "../../../src/ecosystems/pypi/usage/index.js";
import { type JsonCache, openCache } from "../../../src/registry/cache.js";
import { fixturesDir } from "../../helpers/fake-registry.js";

function uses(source: string): string[] {
  const scan = scanPython(source);
  if ("error" in scan) throw new Error(scan.error);
  return scan.uses.map((use) => `${use.line} ${use.specifier}:${use.symbol}${use.member ? `.${use.member}` : ""} ${use.kind}${use.derived ? " derived" : ""}`);
}

describe("Python imports and use sites (Lezer Python parser)", () => {
  it("import forms: dotted, aliased, from-imports with aliases, importlib; relative imports are the project's", () => {
    const scan = scanPython([
      "import google.auth.transport.requests",
      "import numpy as np, os",
      "from google.oauth2 import id_token, credentials as creds",
      "from . import local",
      "from .models import Order",
      'mod = importlib.import_module("fastapi.routing")',
    ].join("\n"));
    if ("error" in scan) throw new Error(scan.error);
    expect(scan.imports.map((site) => `${site.line} ${site.kind} ${site.specifier} ${site.bindings.map((binding) => `${binding.local}=${binding.imported}`).join(",")}`)).toEqual([
      "1 python google.auth.transport.requests google=*",
      "2 python numpy np=*",
      "2 python os os=*",
      "3 python google.oauth2 id_token=id_token,creds=credentials",
      "6 dynamic fastapi.routing ",
    ]);
  });

  it("calls, constructions, decorators on a derived app, context managers, annotations", () => {
    expect(uses([
      "import httpx, yaml",
      "from fastapi import FastAPI, Request",
      "app = FastAPI(title='x')",
      "@app.post('/orders')",
      "async def create(request: Request):",
      "    async with httpx.AsyncClient(timeout=5) as client:",
      "        await client.post(url)",
      "    return yaml.safe_load(text)",
    ].join("\n"))).toEqual([
      "3 fastapi:FastAPI construct",
      "4 fastapi:FastAPI.post call derived",
      "5 fastapi:Request type",
      "6 httpx:AsyncClient construct",
      "7 httpx:AsyncClient.post call derived",
      "8 yaml:safe_load call",
    ]);
  });

  it("a chain through a dotted import names the module it reaches", () => {
    expect(uses("import google.auth.transport.requests\nsession = google.auth.transport.requests.Request()\nsession.refresh()")).toEqual([
      "2 google.auth.transport.requests:Request construct",
      "3 google.auth.transport.requests:Request.refresh call derived",
    ]);
  });

  it("a file that is not Python (a template saved as .py) is skipped, not guessed at", () => {
    expect(scanPython("{% extends 'base.html' %}\n<p>{{ order.id }}</p>\n".repeat(10))).toEqual({ error: "does not parse as Python 3" });
  });

  it("the demo: google-auth's modules (google.auth, google.oauth2) are found in app/auth.py, nothing from virtualenvs", async () => {
    const project = await scanPythonUsage(path.join(fixturesDir, "demo-python"));
    expect(project.sourceFiles).toBe(4);
    const googleAuth = usageOf(project, "google-auth", ["google.auth", "google.oauth2"]);
    expect(googleAuth.files.map((file) => file.file)).toEqual(["app/auth.py"]);
    expect([...googleAuth.uses.keys()].sort()).toEqual(["Request", "id_token"]);
    expect(usageOf(project, "google-cloud-storage", ["google.cloud.storage"]).files).toEqual([]);
  });
});

/** The cache, with every key asked for and every key written (by the key's kind). */
function watched(store: JsonCache) {
  const asked: string[] = [];
  const written: string[] = [];
  const kind = (key: string) => key.split(":")[0] ?? key;
  const cache: JsonCache = {
    get: <T>(key: string) => {
      asked.push(kind(key));
      return store.get<T>(key);
    },
    put: (key, value) => {
      written.push(kind(key));
      store.put(key, value);
    },
    flush: () => store.flush(),
  };
  return { cache, asked, written };
}

describe("the Python usage scan is cached: the project under its files' sizes and times, each file's scan under its text", () => {
  it("an unchanged project is read back whole: one cache entry, no file parsed, the same usage", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-pyscan-"));
    await cp(path.join(fixturesDir, "demo-python"), dir, { recursive: true });
    const store = openCache(await mkdtemp(path.join(os.tmpdir(), "bumpwise-cache-")));
    const cold = watched(store);
    const first = await scanPythonUsage(dir, cold.cache);
    expect(cold.written.filter((kind) => kind === "python-usage-file")).toHaveLength(4);
    await store.flush();
    const warm = watched(store);
    const second = await scanPythonUsage(dir, warm.cache);
    expect(warm.asked).toEqual(["python-usage-project"]);
    expect(warm.written).toEqual([]);
    expect(second).toEqual(first);
    expect([...(usageOf(second, "google-auth", ["google.auth", "google.oauth2"]).uses.keys())].sort()).toEqual(["Request", "id_token"]);
  });

  it("one file edited: only it is parsed again, the others' scans are read back", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-pyscan-"));
    await cp(path.join(fixturesDir, "demo-python"), dir, { recursive: true });
    const store = openCache(await mkdtemp(path.join(os.tmpdir(), "bumpwise-cache-")));
    await scanPythonUsage(dir, store);
    await store.flush();
    await appendFile(path.join(dir, "app/warehouse.py"), "\nimport yaml\nyaml.safe_dump({})\n");
    const edited = watched(store);
    const project = await scanPythonUsage(dir, edited.cache);
    expect(edited.written.sort()).toEqual(["python-usage-file", "python-usage-project"]);
    expect(project.packages.get("yaml")?.sites).toContainEqual(expect.objectContaining({ file: "app/warehouse.py", symbol: "safe_dump" }));
  });


  it("an unchanged project reads its scan back (same usage, same line numbers); a changed file is parsed again", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-pyscan-"));
    await writeFile(path.join(dir, "main.py"), 'import yaml\n\n\ndef load(path):\n    return yaml.safe_load(open(path))\n');
    const cache = openCache(await mkdtemp(path.join(os.tmpdir(), "bumpwise-cache-")));
    const cold = await scanPythonUsage(dir, cache);
    const warm = await scanPythonUsage(dir, cache);
    expect(warm.packages.get("yaml")?.sites).toEqual(cold.packages.get("yaml")?.sites);
    expect(warm.packages.get("yaml")?.sites).toContainEqual(expect.objectContaining({ symbol: "safe_load", line: 5 }));
    expect(warm.fingerprint).toBe(cold.fingerprint);
    await writeFile(path.join(dir, "main.py"), 'import yaml\nprint(yaml.dump({}))\n');
    const changed = await scanPythonUsage(dir, cache);
    expect(changed.fingerprint).not.toBe(cold.fingerprint);
    expect(changed.packages.get("yaml")?.sites).toContainEqual(expect.objectContaining({ symbol: "dump", line: 2 }));
  });
});
