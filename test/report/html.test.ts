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

  const layoutTest = `in Chromium at 1400 px and 390 px: held-back, errored, breaking and major rows, run notes, the legend, https links only, #name anchors, cards on a phone${existsSync(chromiumPath) ? "" : " (skipped: no Chromium)"}`;
  it.skipIf(!existsSync(chromiumPath))(layoutTest, async () => {
    const { review, target } = await recordedReview();
    review.heldBack.push({ name: "left-pad", from: "1.0.0", newest: "1.3.0", reason: "younger than --min-age 7 days" });
    review.errors.push({ package: "ghost-pkg", code: "not-found", message: "the registry has no such package (404)" });
    review.majors = [{ name: "express", from: "4.18.2", latest: "5.1.0" }];
    review.notes.note = "GitHub could not be reached: 3 bumps have versions without notes";
    target.links = { registry: `https://www.npmjs.com/package/${target.name}/v/${target.to}`, repository: "https://github.com/acme/lib", compare: "javascript:alert(1)" };
    const dir = await mkdtemp(path.join(os.tmpdir(), "bumpwise-html-"));
    const file = path.join(dir, "report.html");
    await writeFile(file, renderHtml(review));
    const shots = process.env.BUMPWISE_SCREENSHOT_DIR ?? dir;
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"] });
    try {
      for (const width of [1400, 390]) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        const errors: string[] = [];
        page.on("pageerror", (error) => errors.push(error.message));
        await page.goto(`${pathToFileURL(file).toString()}#${encodeURIComponent(target.name)}`);
        await page.waitForSelector("body[data-ready=true]");
        for (const id of ["run-notes", "held-back", "errors", "majors"]) expect(await page.locator(`h2#${id}`).count(), id).toBe(1);
        expect(await page.locator("#held-back + table").textContent()).toContain("younger than --min-age 7 days");
        expect(await page.locator("#errors + table").textContent()).toContain("ghost-pkg");
        expect(await page.locator("ul.run-notes").textContent()).toContain("GitHub could not be reached");
        const legend = (await page.locator("details.legend").textContent()) ?? "";
        for (const word of ["breaking", "risky", "unknown", "safe", "proven", "fact", "quoted", "inferred"]) expect(legend).toContain(word);
        // The #name in the address opened that bump: its links are there, https only.
        const details = page.locator("tr.details:not([hidden])");
        await details.waitFor();
        const hrefs = await details.locator("p.links a").evaluateAll((anchors) => anchors.map((a) => a.getAttribute("href")));
        expect(hrefs).toEqual([`https://www.npmjs.com/package/${target.name}/v/${target.to}`, "https://github.com/acme/lib"]);
        expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
        // Every bump opened: a section with nothing to show leaves nothing, not the text "null".
        const closed = page.locator("tr.bump:not(.open)");
        while ((await closed.count()) > 0) await closed.first().click();
        expect(await page.evaluate('[...document.querySelectorAll(".detail")].some((box) => [...box.childNodes].some((node) => node.nodeType === 3 && node.textContent === "null"))')).toBe(false);
        if (width === 390) {
          // Cards: no header row, each cell labelled, and nothing wider than the screen.
          expect(await page.locator("table.bumps thead").isVisible()).toBe(false);
          expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
        }
        await page.screenshot({ path: path.join(shots, `report-${width}.png`), fullPage: width === 390 ? false : true });
        expect(errors).toEqual([]);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  }, 60_000);
});
