// Release-note coverage on the large fixture lockfile, against the live registry, with no GitHub
// access (--no-github): the share of bumps for which every version in between has notes, by source.
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Review } from "../src/review-types.js";

const root = path.resolve(import.meta.dirname, "..");
const fixture = process.argv[2] ?? path.join(root, "fixtures/lockfiles/large-npm");
const project = await mkdtemp(path.join(os.tmpdir(), "bumpwise-bench-notes-"));
const cacheDir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-bench-notes-cache-"));
await cp(fixture, project, { recursive: true });
try {
  const started = performance.now();
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, [path.join(root, "dist/cli/bin.js"), "review", project, "--no-github", "--out", project], { env: { ...process.env, BUMPWISE_CACHE_DIR: cacheDir } }, (error) =>
      error ? reject(error) : resolve(),
    ),
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const review = JSON.parse(await readFile(path.join(project, "report.json"), "utf8")) as Review;
  const bumps = review.bumps;
  const percent = (part: number) => `${((100 * part) / Math.max(1, bumps.length)).toFixed(0)}%`;
  const complete = bumps.filter((bump) => bump.releaseNotes.missing.length === 0);
  const some = bumps.filter((bump) => bump.releaseNotes.versions.length > 0);
  console.log(`release notes, ${path.relative(root, fixture)}, live registry, no GitHub (cold, ${seconds} s):`);
  console.log(`  bumps with notes for every version in between: ${complete.length}/${bumps.length} (${percent(complete.length)})`);
  console.log(`  bumps with notes for some versions:            ${some.length}/${bumps.length} (${percent(some.length)})`);
  const versions = bumps.reduce((sum, bump) => sum + bump.versionsInBetween.length, 0);
  const bySource = new Map<string, number>();
  for (const bump of bumps) for (const note of bump.releaseNotes.versions) bySource.set(note.source, (bySource.get(note.source) ?? 0) + 1);
  for (const [source, count] of bySource) console.log(`  versions with notes from ${source}: ${count}/${versions}`);
  const completeBySource = new Map<string, number>();
  for (const bump of complete) for (const source of new Set(bump.releaseNotes.versions.map((note) => note.source))) completeBySource.set(source, (completeBySource.get(source) ?? 0) + 1);
  for (const [source, count] of completeBySource) console.log(`  complete bumps served by ${source}: ${count} (${percent(count)})`);
  console.log(`  verdicts: ${review.summary.breaking} breaking, ${review.summary.risky} risky, ${review.summary.safe} safe, ${review.summary.unknown} unknown`);
} finally {
  await rm(project, { recursive: true, force: true });
  await rm(cacheDir, { recursive: true, force: true });
}
