// npm run eval: (1) the labelled apps in fixtures/eval/apps/ (npm) and fixtures/eval/python-apps/ (Python) through the real CLI, scored per project, then the npm apps
// again with `--llm anthropic` against a local Messages API serving the stored replies of fixtures/anthropic/eval/ (bench/eval-llm.ts);
// (2) precision and recall of `breaking` on the labelled package-level bumps in fixtures/eval/cases.json,
// for the deterministic analyzers alone and, with ANTHROPIC_API_KEY set, merged with Claude's review.
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import semver from "semver";
import { contractSignals } from "../src/ecosystems/npm/contract/index.js";
import { heuristicSignals } from "../src/analysis/heuristics.js";
import { loadPrompts } from "../src/analysis/llm/prompts.js";
import { createLlmReviewer, defaultModel } from "../src/analysis/llm/reviewer.js";
import { decideVerdict } from "../src/analysis/verdict.js";
import { splitSections } from "../src/changelog/sections.js";
import type { VersionNotes } from "../src/changelog/types.js";
import { semverVersioning } from "../src/ecosystems/npm/versioning.js";
import { openCache } from "../src/registry/cache.js";
import { checkPackument, trimManifest } from "../src/ecosystems/npm/registry/packument.js";
import { readFiles } from "../src/ecosystems/npm/registry/tarball.js";
import type { Signal } from "../src/types.js";
import { evaluateApps } from "./eval-apps.js";

interface Case {
  package: string;
  from: string;
  to: string;
  expected: "breaking" | "not-breaking";
  notes: string | null;
  why: string;
}

const fixtures = path.resolve(import.meta.dirname, "../fixtures");
const cases = JSON.parse(readFileSync(path.join(fixtures, "eval/cases.json"), "utf8")) as Case[];

async function notesText(reference: string): Promise<string> {
  const [file = "", inner] = reference.split("#");
  const bytes = readFileSync(path.join(fixtures, file));
  if (!inner) return bytes.toString("utf8");
  const found = (await readFiles(bytes, { always: (name) => name === inner })).files[0];
  if (!found) throw new Error(`${inner} is not in ${file}`);
  return found.content;
}

function recordedPackument(name: string) {
  try {
    return checkPackument(JSON.parse(readFileSync(path.join(fixtures, "registry", `${name.replace("/", "__")}.json`), "utf8")));
  } catch {
    return undefined;
  }
}

async function evidence(item: Case): Promise<{ notes: VersionNotes[]; missing: string[]; versions: string[]; signals: Signal[] }> {
  const sections = item.notes ? splitSections(await notesText(item.notes)) : new Map();
  const packument = recordedPackument(item.package);
  const published = packument ? Object.keys(packument.versions ?? {}) : [...sections.keys()];
  const versions = published.filter((v) => semver.valid(v) && !semver.prerelease(v) && semver.gt(v, item.from) && semver.lte(v, item.to)).sort(semver.compare);
  const notes = versions.flatMap((version): VersionNotes[] => {
    const section = sections.get(version);
    return section ? [{ version, body: section.body, source: "changelog-file" }] : [];
  });
  const signals: Signal[] = [...heuristicSignals(notes)];
  // As the review says it: a 0.x step makes no promise, and is never a verdict on its own.
  if (semverVersioning.breaksByConvention(item.from, item.to)) signals.push({ analyzer: "contract", rule: "contract/zero-major", severity: "info", strength: "inferred", message: "0.x minor step" });
  const from = trimManifest(item.from, packument?.versions?.[item.from]);
  const to = trimManifest(item.to, packument?.versions?.[item.to]);
  if (from && to) signals.push(...contractSignals({ name: item.package, from, to, between: [] }));
  return { notes, missing: versions.filter((v) => !sections.has(v)), versions, signals };
}

function score(label: string, predictions: { item: Case; breaking: boolean }[]) {
  const tp = predictions.filter((p) => p.breaking && p.item.expected === "breaking").length;
  const fp = predictions.filter((p) => p.breaking && p.item.expected !== "breaking").length;
  const fn = predictions.filter((p) => !p.breaking && p.item.expected === "breaking").length;
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  console.log(`${label}: precision ${precision.toFixed(2)} (${tp}/${tp + fp}), recall ${recall.toFixed(2)} (${tp}/${tp + fn}) of "breaking" over ${predictions.length} cases`);
  for (const p of predictions.filter((p) => p.breaking !== (p.item.expected === "breaking"))) {
    console.log(`  ${p.breaking ? "false positive" : "missed"}: ${p.item.package} ${p.item.from} → ${p.item.to} (${p.item.why})`);
  }
}

await evaluateApps(process.argv.slice(2));
console.log("\npackage-level cases (fixtures/eval/cases.json, for a typical consumer):");

const deterministic: { item: Case; breaking: boolean }[] = [];
const withClaude: { item: Case; breaking: boolean }[] = [];
const apiKey = process.env.ANTHROPIC_API_KEY;
const reviewer = apiKey
  ? createLlmReviewer({
      client: new Anthropic({ apiKey, ...(process.env.ANTHROPIC_BASE_URL ? { baseURL: process.env.ANTHROPIC_BASE_URL } : {}) }),
      model: process.env.BUMPWISE_MODEL ?? defaultModel,
      prompts: await loadPrompts(),
      cache: openCache(path.join(os.tmpdir(), "bumpwise-eval-cache")),
    })
  : undefined;

for (const item of cases) {
  const found = await evidence(item);
  const coverage = { notesRead: item.notes !== null, versions: found.versions.length, missing: found.missing.length };
  // For a typical consumer (explain's judging): a documented break counts for code that uses what changed.
  deterministic.push({ item, breaking: decideVerdict(found.signals, coverage, undefined, null, "package").verdict === "breaking" });
  if (!reviewer) continue;
  const outcome = await reviewer.review(
    { name: item.package, from: item.from, to: item.to, type: "minor", versionsInBetween: found.versions, notes: found.notes, missing: found.missing, signals: found.signals, usage: undefined },
    fixtures,
  );
  const signals = "ok" in outcome ? [...found.signals, ...outcome.ok.signals] : found.signals;
  withClaude.push({ item, breaking: decideVerdict(signals, coverage, "ok" in outcome ? outcome.ok : undefined, null, "package").verdict === "breaking" });
}

score("deterministic analyzers", deterministic);
if (reviewer) {
  score(`with Claude (${reviewer.model})`, withClaude);
  console.log(`Claude: ${reviewer.stats.calls} calls, ${reviewer.stats.input} input and ${reviewer.stats.output} output tokens, ~$${reviewer.stats.costUsd.toFixed(4)}`);
} else {
  console.log("with Claude: skipped (no ANTHROPIC_API_KEY)");
}
