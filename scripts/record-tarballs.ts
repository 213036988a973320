// Records trimmed tarballs into fixtures/tarballs/ and points the recorded packuments at them.
// Usage: npx tsx scripts/record-tarballs.ts NAME@VERSION [NAME@VERSION …]
// Each tarball is the real one from `npm pack`, repacked with only package.json and the root
// changelog files; the packument's dist.integrity is replaced with the trimmed tarball's.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { isChangelogFile } from "../src/changelog/files.js";

const root = path.resolve(import.meta.dirname, "..");
for (const spec of process.argv.slice(2)) {
  const at = spec.lastIndexOf("@");
  const name = spec.slice(0, at);
  const version = spec.slice(at + 1);
  const work = mkdtempSync(path.join(os.tmpdir(), "bumpwise-record-"));
  const packed = execFileSync("npm", ["pack", spec, "--silent"], { cwd: work, encoding: "utf8" }).trim().split("\n").pop() ?? "";
  execFileSync("tar", ["xzf", packed], { cwd: work });
  const top = readdirSync(work).find((entry) => !entry.endsWith(".tgz")) ?? "package";
  const kept = readdirSync(path.join(work, top)).filter((file) => file === "package.json" || isChangelogFile(file));
  const file = `${name.replace("/", "__")}-${version}.tgz`;
  const target = path.join(root, "fixtures", "tarballs", file);
  execFileSync("tar", ["czf", target, "--owner=0", "--group=0", "--mtime=1985-10-26", ...kept.map((f) => `${top}/${f}`)], { cwd: work });
  const integrity = `sha512-${createHash("sha512").update(readFileSync(target)).digest("base64")}`;
  const packumentFile = path.join(root, "fixtures", "registry", `${name.replace("/", "__")}.json`);
  const packument = JSON.parse(readFileSync(packumentFile, "utf8"));
  packument.versions[version].dist = { integrity, tarball: `/${name}/-/${file}` };
  writeFileSync(packumentFile, `${JSON.stringify(packument, null, 1)}\n`);
  console.log(`${file}: ${kept.join(", ")}`);
}
