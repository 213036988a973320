import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { renderHtml } from "../../src/report/html.js";
import type { Review } from "../../src/review-types.js";
import { useCliWorld } from "../helpers/cli.js";
import { fixturesDir } from "../helpers/fake-registry.js";

const world = useCliWorld();
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hostile = '<img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script> @octocat #1';

// A recorded review of the demo project (fake registry), with hostile text where a package could put it.
async function recordedReview(): Promise<{ review: Review; target: Review["bumps"][number] }> {
  const out = path.join(world.env.BUMPWISE_CACHE_DIR as string, "out");
  const { code } = await world.bumpwise(path.join(fixturesDir, "demo"), "review", ".", "--registry", world.registry.url, "--no-github", "--no-api-diff", "--out", out);
  expect(code).toBe(0);
  const review = JSON.parse(await readFile(path.join(out, "report.json"), "utf8")) as Review;
  const target = review.bumps.find((bump) => bump.verdict.verdict === "breaking") ?? review.bumps[0];
  if (!target) throw new Error("the demo review has no bumps");
  target.releaseNotes.versions.unshift({ version: target.to, body: `## ${target.to}\n\n- ${hostile}`, source: "tarball" });
  target.signals.push({ analyzer: "heuristic", rule: "heuristic/renamed", severity: "risky", message: hostile, evidence: { quote: hostile, version: target.to } });
  return { review, target };
}

describe("report.html", () => {
  it("is one self-contained file: a CSP that forbids remote loads, the review as inert JSON, nothing from a package as markup", async () => {
    const html = renderHtml((await recordedReview()).review);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(html).not.toMatch(/<(?:link|img|iframe)\b|src="http|href="http/);
    // The hostile string is inside the JSON, with every "<" escaped: it cannot close the data element.
    expect(html.split("</script>").length).toBe(3);
    expect(html).toContain("\\u003cimg src=x onerror");
  });

  const browserTest = `in Chromium: every bump shown, filter to breaking, expand one, hostile text stays text${existsSync(chromiumPath) ? "" : ` (skipped: no Chromium at ${chromiumPath}; apt-get install chromium, or set CHROMIUM_PATH)`}`;
  it.skipIf(!existsSync(chromiumPath))(browserTest, async () => {
    const { review, target } = await recordedReview();
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-html-"));
    const file = path.join(dir, "report.html");
    await writeFile(file, renderHtml(review));
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"] });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on("request", (request) => requests.push(request.url()));
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(pathToFileURL(file).toString());
      await page.waitForSelector("body[data-ready=true]");
      expect(await page.locator("tr.bump").count()).toBe(review.bumps.length);
      expect(await page.locator("#counts").textContent()).toContain(`${review.summary.breaking} breaking`);

      expect(target.verdict.verdict).toBe("breaking");
      await page.selectOption("#filter-verdict", "breaking");
      const breaking = review.bumps.filter((bump) => bump.verdict.verdict === "breaking");
      expect(await page.locator("tr.bump").count()).toBe(breaking.length);
      expect(await page.locator("#shown").textContent()).toBe(`${breaking.length} of ${review.bumps.length} bumps shown`);

      await page.locator(`tr.bump[data-name="${target.name}"]`).click();
      const details = page.locator("tr.details:not([hidden])");
      await details.waitFor();
      const shown = (await details.textContent()) ?? "";
      expect(shown).toContain("Signals");
      expect(shown).toMatch(/\d+ versions?, \d+ with notes/);
      expect(shown).toContain(hostile);
      // The flagged version's notes: the hostile line highlighted, as text.
      await details.locator("details.notes summary").first().click();
      expect(await details.locator("span.hit").first().textContent()).toContain("<img src=x onerror=");
      expect(await page.locator("img").count()).toBe(0);
      expect(await page.evaluate("window.__pwned")).toBeUndefined();

      await page.selectOption("#filter-verdict", "all");
      await page.fill("#filter-text", "express");
      expect(await page.locator("tr.bump").count()).toBe(review.bumps.filter((candidate) => candidate.name.includes("express")).length);
      await page.fill("#filter-text", "");
      await page.screenshot({ path: process.env.BUMPWISE_SCREENSHOT ?? path.join(dir, "report.png"), fullPage: true });
      expect(errors).toEqual([]);
      expect(requests.filter((url) => !url.startsWith("file:"))).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
