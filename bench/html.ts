// npm run bench (report.html part): size and load time of report.html for a 70-bump review and for the
// whole review it is cut from, in headless Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
// Input: a report.json (default: a live --all review of fixtures/lockfiles/large-npm, made here).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { chromium } from "playwright-core";
import { renderHtml } from "../src/report/html.js";
import type { Review } from "../src/review-types.js";

const root = path.resolve(import.meta.dirname, "..");
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromiumPath)) {
  console.log(`report.html bench skipped: no Chromium at ${chromiumPath} (apt-get install chromium)`);
  process.exit(0);
}
const scratch = await mkdtemp(path.join(os.tmpdir(), "bumpwise-bench-html-"));
try {
  let input = process.argv[2];
  if (!input) {
    await promisify(execFile)(process.execPath, [path.join(root, "dist/cli/bin.js"), "review", path.join(root, "fixtures/lockfiles/large-npm"), "--all", "--no-notes", "--no-api-diff", "--llm", "off", "--out", scratch], { maxBuffer: 64 * 1024 * 1024 });
    input = path.join(scratch, "report.json");
  }
  const whole = JSON.parse(await readFile(input, "utf8")) as Review;
  const seventy: Review = { ...whole, bumps: whole.bumps.slice(0, 70) };
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  try {
    for (const [label, review] of [["70 bumps", seventy], [`${whole.bumps.length} bumps`, whole]] as const) {
      const file = path.join(scratch, `report-${review.bumps.length}.html`);
      const html = renderHtml(review);
      await writeFile(file, html);
      const times: number[] = [];
      for (let round = 0; round < 5; round++) {
        const page = await browser.newPage();
        const started = performance.now();
        await page.goto(pathToFileURL(file).toString());
        await page.waitForSelector("body[data-ready=true]");
        times.push(performance.now() - started);
        await page.close();
      }
      const median = [...times].sort((a, b) => a - b)[2] as number;
      console.log(`report.html, ${label}: ${(Buffer.byteLength(html) / 1024).toFixed(0)} KB, loads from disk (file://) to every row shown in ${median.toFixed(0)} ms (median of 5, headless Chromium)`);
    }
  } finally {
    await browser.close();
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
