// Records PEP 691 Simple API answers from PyPI for a few versions of a few distributions, with their
// wheels trimmed to the dist-info entries, into fixtures/pypi (see its README): what uv needs to lock a
// small project against the fake index. Usage: npx tsx scripts/record-simple.ts idna==3.6,3.10 six==1.15.0,1.17.0
// KEEP_MODULES="jinja2/__init__.py,jinja2/utils.py" also keeps those source files of the wheels (for the API diff).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { unzipSync, zipSync } from "fflate";

const out = path.resolve(import.meta.dirname, "../fixtures/pypi");
const keepModules = new Set((process.env.KEEP_MODULES ?? "").split(",").filter(Boolean));
mkdirSync(path.join(out, "simple"), { recursive: true });
mkdirSync(path.join(out, "files"), { recursive: true });
for (const argument of process.argv.slice(2)) {
  const [name = "", versions = ""] = argument.split("==");
  const keep = new Set(versions.split(","));
  const url = `https://pypi.org/simple/${name}/`;
  const document = (await (await fetch(url, { headers: { accept: "application/vnd.pypi.simple.v1+json" } })).json()) as { meta: unknown; name: string; files: Record<string, unknown>[] };
  const files = [];
  for (const file of document.files) {
    const filename = String(file.filename);
    const version = filename.endsWith(".whl") ? filename.split("-")[1] : undefined;
    if (!version || !keep.has(version)) continue;
    const wheel = new Uint8Array(await (await fetch(new URL(String(file.url), url))).arrayBuffer());
    const trimmed = zipSync(unzipSync(wheel, { filter: (entry) => /^[^/]+\.dist-info\/(METADATA|top_level\.txt|RECORD|WHEEL)$/.test(entry.name) || keepModules.has(entry.name) }));
    writeFileSync(path.join(out, "files", filename), trimmed);
    files.push({ filename, url: `/files/${encodeURIComponent(filename)}`, hashes: {}, "requires-python": file["requires-python"], yanked: file.yanked, "upload-time": file["upload-time"] });
  }
  writeFileSync(path.join(out, "simple", `${name}.json`), `${JSON.stringify({ meta: document.meta, name: document.name, versions: [...keep], files }, null, 1)}\n`);
  console.log(name, files.map((file) => file.filename).join(", "));
}
