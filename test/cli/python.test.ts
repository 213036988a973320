import { readFileSync } from "node:fs";
import { cp, mkdtemp, stat, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Review } from "../../src/review/index.js";
import { useCliWorld } from "../helpers/cli.js";
import { startFakeAnthropic } from "../helpers/fake-anthropic.js";
import { fixturesDir } from "../helpers/fake-registry.js";
import { useFakeIndex } from "../helpers/fake-pypi.js";

const world = useCliWorld();
const pypi = useFakeIndex(world);

const demo = path.join(fixturesDir, "demo-python");
const lockfiles = path.join(fixturesDir, "lockfiles");

async function review(dir: string, ...flags: string[]): Promise<{ code: number; stderr: string; report: Review }> {
  const out = path.join(world.env.BUMPWISE_CACHE_DIR as string, "out");
  const { code, stderr } = await world.bumpwise(dir, "review", ".", "--llm", "off", "--out", out, ...flags);
  return { code, stderr, report: JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as Review };
}

describe("bumpwise review on a Python project (uv.lock, the recorded PyPI answers)", () => {
  it("plans PEP 440 bumps, holds back versions whose requires_python excludes the project's Python, and judges against the project", async () => {
    const { code, report } = await review(demo);
    expect(code).toBe(0);
    expect(report.project).toMatchObject({ ecosystem: "pypi", manager: "uv", lockfile: "uv.lock" });
    expect(report.project.facts?.python).toBe(">=3.9 (requires-python in pyproject.toml)");
    // A Python report states the runtime of its own ecosystem, and no Node facts.
    expect(report.project.facts).toMatchObject({ runtime: "Python >=3.9 (requires-python in pyproject.toml)", language: "python" });
    expect(report.project.facts?.node).toBeUndefined();
    expect(report.project.facts?.type).toBeUndefined();
    expect(report.bumps.map((bump) => `${bump.name} ${bump.from} → ${bump.to}`)).toEqual([
      "fastapi 0.65.1 → 0.128.8",
      "google-auth 2.41.1 → 2.50.0",
      "httpx 0.27.0 → 0.28.1",
      "pytest 8.0.0 → 8.4.2",
      "pyyaml 6.0.1 → 6.0.3",
    ]);
    const fastapiHeld = report.heldBack.find((held) => held.name === "fastapi");
    expect(fastapiHeld?.reason).toMatch(/^0\.165\.0 needs Python >=3\.11; the project allows 3\.9 \(requires-python in pyproject\.toml\); reviewed up to 0\.128\.8 instead$/);
    const fastapi = report.bumps.find((bump) => bump.name === "fastapi");
    // The project's own code: FastAPI() at app/main.py, the routes on it.
    expect(fastapi?.usedBy).toEqual({ files: ["app/main.py"], sites: 4 });
    // google-auth installs google.auth and google.oauth2: the project imports both in app/auth.py.
    expect(report.bumps.find((bump) => bump.name === "google-auth")?.usedBy?.files).toEqual(["app/auth.py"]);
    expect(report.bumps.find((bump) => bump.name === "pytest")).toMatchObject({ dev: true, usedBy: { files: [] } });
    // pydantic 1 → 2 comes with fastapi, but the project's code does not import pydantic itself.
    const pydantic = fastapi?.signals.find((signal) => signal.message.includes("pydantic"));
    expect(pydantic).toMatchObject({ severity: "risky", fact: "pydantic not imported by the project" });
    // Each release's wheel is read once per run, though the review, the usage lookup and the API diff all ask for it.
    const tails = pypi.index.requests.filter((request) => request.url.startsWith("/files/") && request.range === "bytes=-65536").map((request) => request.url);
    expect(tails.length).toBeGreaterThan(0);
    expect(new Set(tails).size).toBe(tails.length);
  });

  it("reads the release notes from the repository tree (FastAPI's docs/en/docs/release-notes.md) and flags the 0.65.2 Content-Type check", async () => {
    const { report } = await review(demo, "--include", "fastapi");
    const fastapi = report.bumps[0];
    expect(fastapi?.notesSources.find((attempt) => attempt.source === "changelog-file")).toMatchObject({ outcome: "found" });
    expect(fastapi?.releaseNotes.versions.map((note) => note.version)).toEqual(["0.65.2", "0.65.3"]);
    const check = fastapi?.signals.find((signal) => signal.rule === "heuristic/tightened-check");
    expect(check).toMatchObject({ severity: "risky", evidence: { quote: "* 🔒 Check Content-Type request header before assuming JSON. Initial PR #2118.", version: "0.65.2" } });
  });

  it("reads the release notes from the package's own sdist first (no GitHub token): explain fastapi 0.65.1 → 0.65.2", async () => {
    const { code, stdout } = await world.bumpwise(demo, "explain", "fastapi", "0.65.1", "0.65.2", "--ecosystem", "pypi", "--json", "--no-api-diff", "--no-github");
    expect(code).toBe(0);
    const bump = JSON.parse(stdout) as Review["bumps"][number];
    expect(bump.notesSources[0]).toMatchObject({ source: "sdist", outcome: "found", versions: ["0.65.2"] });
    expect(bump.releaseNotes.versions).toMatchObject([{ version: "0.65.2", source: "sdist", url: `${pypi.index.origin}/files/fastapi-0.65.2.tar.gz#docs/en/docs/release-notes.md` }]);
    expect(bump.releaseNotes.versions[0]?.body).toContain("Check Content-Type request header before assuming JSON");
    expect(world.github.requests).toEqual([]);
  });

  it("reads Poetry, pipenv and pip-compile lockfiles written by the tools", async () => {
    const poetry = await review(path.join(lockfiles, "py-poetry"), "--no-notes");
    expect(poetry.report.project.manager).toBe("poetry");
    // pytest 8.4.2 is the newest 8.x; pyyaml stops at 6.0.3 (6.0.4 needs Python 3.10, the project allows ^3.9).
    expect(poetry.report.bumps.map((bump) => `${bump.name} ${bump.to}`)).toEqual(["fastapi 0.128.8", "httpx 0.28.1", "pyyaml 6.0.3"]);
    const pipenv = await review(path.join(lockfiles, "py-pipenv"), "--no-notes");
    expect(pipenv.report.project.manager).toBe("pipenv");
    expect(pipenv.report.project.facts?.python).toBe("==3.11.* (the Python range pipenv locked for)");
    const pip = await review(path.join(lockfiles, "py-pip-tools"), "--no-notes");
    expect(pip.report.project.manager).toBe("pip");
    expect(pip.report.summary.directPackages).toBe(4);
  });

  it("lists the direct dependencies `poetry show --outdated --top-level` lists, minus other majors, with Python-held versions said", async () => {
    // Recorded with Poetry 2.5.1 against PyPI on the day fixtures/pypi was recorded (see its README).
    const poetrySays = readFileSync(path.join(lockfiles, "py-poetry", "poetry-show-outdated.txt"), "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split(/\s+/).filter((word) => word !== "(!)"))
      .map(([name, current, latest]) => ({ name, current, latest }));
    const { report } = await review(path.join(lockfiles, "py-poetry"), "--no-notes");
    for (const outdated of poetrySays) {
      const bump = report.bumps.find((candidate) => candidate.name === outdated.name);
      const held = report.heldBack.find((candidate) => candidate.name === outdated.name);
      // Poetry shows the newest release of any major; bumpwise stays in the major (pytest 9 is not a minor bump).
      const sameMajor = outdated.latest?.split(".")[0] === outdated.current?.split(".")[0];
      if (sameMajor) expect(bump?.to === outdated.latest || held?.newest === outdated.latest, `${outdated.name} ${outdated.latest}`).toBe(true);
      else expect(bump === undefined || bump.to.split(".")[0] === outdated.current?.split(".")[0], outdated.name).toBe(true);
    }
  });

  it("lists the direct dependencies `uv pip list --outdated` lists, minus other majors, with Python-held versions said", async () => {
    // Recorded with uv 0.13.9 from the demo installed with `uv sync --frozen --all-groups`, the day fixtures/pypi was recorded.
    const uvSays = JSON.parse(readFileSync(path.join(lockfiles, "uv-pip-list-outdated.demo-python.json"), "utf8")) as { name: string; version: string; latest_version: string }[];
    const { report } = await review(demo, "--no-notes");
    const direct = new Set(report.bumps.map((bump) => bump.name));
    for (const outdated of uvSays.filter((entry) => direct.has(entry.name) || report.heldBack.some((held) => held.name === entry.name))) {
      const bump = report.bumps.find((candidate) => candidate.name === outdated.name);
      const held = report.heldBack.find((candidate) => candidate.name === outdated.name);
      const sameMajor = outdated.latest_version.split(".")[0] === outdated.version.split(".")[0];
      expect(bump?.from, outdated.name).toBe(outdated.version);
      if (sameMajor) expect(bump?.to === outdated.latest_version || held?.newest === outdated.latest_version, `${outdated.name} ${outdated.latest_version}`).toBe(true);
    }
    // uv lists transitive packages too (starlette, pydantic, cachetools); a review of direct dependencies does not.
    expect(uvSays.filter((entry) => !direct.has(entry.name)).map((entry) => entry.name)).toEqual(["cachetools", "pydantic", "starlette"]);
  });

  it("a warm review of the Python demo makes 0 index requests and does not re-parse the project's files", async () => {
    const project = await mkdtemp(path.join(os.tmpdir(), "bumpwise-demo-python-"));
    await cp(demo, project, { recursive: true });
    // A time in whole seconds, so that it can be given back exactly (utimes goes through floating-point seconds).
    const main = path.join(project, "app/main.py");
    const time = new Date("2026-01-02T03:04:05Z");
    await utimes(main, time, time);
    const cold = await review(project, "--no-notes");
    const asked = pypi.index.requests.length;
    expect(pypi.index.requests.filter((request) => request.url.endsWith(".metadata")).length).toBeGreaterThan(0);
    // app/main.py blanked to the same size and given back its time: a scan that read it would find no FastAPI.
    await writeFile(main, " ".repeat((await stat(main)).size));
    await utimes(main, time, time);
    const warm = await review(project, "--no-notes");
    expect(pypi.index.requests.slice(asked)).toEqual([]);
    expect(warm.report.bumps.find((bump) => bump.name === "fastapi")?.usedBy).toEqual(cold.report.bumps.find((bump) => bump.name === "fastapi")?.usedBy);
    expect(warm.report.bumps.find((bump) => bump.name === "fastapi")?.usedBy).toEqual({ files: ["app/main.py"], sites: 4 });
    // Its time changed, it is read and parsed again.
    await utimes(main, time, new Date(time.getTime() + 1000));
    const touched = await review(project, "--no-notes");
    expect(touched.report.bumps.find((bump) => bump.name === "fastapi")?.usedBy).toEqual({ files: [], sites: 0 });
  });

  it("packages that move together: fastapi's new pydantic requirement names pydantic as moving with it", async () => {
    const { report } = await review(demo, "--no-notes");
    expect(report.bumps.find((bump) => bump.name === "fastapi")?.signals.find((signal) => signal.movesWith === "pydantic")).toMatchObject({ severity: "risky", rule: "contract/requires-dist-changed" });
  });

  it("works against an index without the JSON API (the Simple API, PEP 691)", async () => {
    await pypi.restart({ simpleOnly: true });
    const { report } = await review(demo, "--no-notes");
    expect(report.bumps.map((bump) => bump.to)).toEqual(["0.128.8", "2.50.0", "0.28.1", "8.4.2", "6.0.3"]);
    expect(pypi.index.requests.some((request) => request.url === "/simple/fastapi/")).toBe(true);
  });
});

describe("Claude on a Python bump", () => {
  it("is told the package is a Python distribution, the project's Python range, and the Python use sites; its quote is verified", async () => {
    const claude = await startFakeAnthropic();
    try {
      Object.assign(world.env, { ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: claude.url });
      claude.script({
        json: {
          verdict: "breaking",
          confidence: 0.8,
          summary: "0.65.2 rejects JSON bodies sent without a Content-Type header; this service accepts them from older clients.",
          changes: [{ summary: "JSON requires a Content-Type header", severity: "breaking", version: "0.65.2", source: "notes", evidence: "Check Content-Type request header before assuming JSON.", symbols: ["FastAPI"], migration: "Send the header from clients.", affects: "yes", reaches: "app/main.py:15" }],
          affectsYou: { affected: "yes", reasoning: "app/main.py:15 posts JSON on app.post; the comment says older clients omit the header." },
          edits: [],
        },
      });
      const { report } = await review(demo, "--include", "fastapi", "--llm", "anthropic", "--llm-timeout", "2");
      const prompt = claude.requests[0]?.messages[0]?.content ?? "";
      expect(prompt).toContain("Package: fastapi (a Python distribution on PyPI)");
      expect(prompt).toContain("Python it supports: >=3.9 (requires-python in pyproject.toml)");
      expect(prompt).toContain("app/main.py:15 call FastAPI.post (on a value made from it)");
      const fastapi = report.bumps[0];
      expect(fastapi?.verdict.verdict).toBe("breaking");
      expect(fastapi?.signals.find((signal) => signal.analyzer === "llm" && signal.severity === "breaking")?.evidence).toMatchObject({ version: "0.65.2" });
    } finally {
      await claude.close();
    }
  });
});

describe("bumpwise explain --ecosystem pypi", () => {
  it("fastapi 0.65.1 → 0.65.2: the Content-Type check is at least risky, quoted", async () => {
    const { code, stdout } = await world.bumpwise(demo, "explain", "fastapi", "0.65.1", "0.65.2", "--ecosystem", "pypi", "--json", "--no-api-diff");
    expect(code).toBe(0);
    const bump = JSON.parse(stdout) as Review["bumps"][number];
    expect(["risky", "breaking"]).toContain(bump.verdict.verdict);
    expect(bump.signals.find((signal) => signal.evidence?.quote.includes("Check Content-Type request header before assuming JSON"))).toMatchObject({ severity: "risky", evidence: { version: "0.65.2" } });
  });

  it("fastapi 0.131.0 → 0.132.0 is breaking, quoting its Breaking Changes section", async () => {
    const { stdout } = await world.bumpwise(demo, "explain", "fastapi", "0.131.0", "0.132.0", "--ecosystem", "pypi", "--json", "--no-api-diff");
    const bump = JSON.parse(stdout) as Review["bumps"][number];
    expect(bump.verdict.verdict).toBe("breaking");
    const breaking = bump.signals.find((signal) => signal.severity === "breaking");
    expect(breaking).toMatchObject({ rule: "heuristic/breaking-change", evidence: { version: "0.132.0" } });
    expect(breaking?.evidence?.quote).toContain("Check the `Content-Type` of JSON requests by default");
  });

  it("a version that is not PEP 440, a package not on the index, and an index answering HTML are one-line errors", async () => {
    const bad = await world.bumpwise(demo, "explain", "fastapi", "0.65.1", "banana", "--ecosystem", "pypi");
    expect(bad).toMatchObject({ code: 2, stderr: 'bumpwise: "banana" is not a PEP 440 version\n' });
    const missing = await world.bumpwise(demo, "explain", "no-such-package", "1.0", "1.1", "--ecosystem", "pypi");
    expect(missing).toMatchObject({ code: 2, stderr: `bumpwise: no-such-package is not on the index ${pypi.index.url}\n` });
    // A sign-in page where both APIs belong.
    pypi.index.override("/simple/fastapi/", { status: 200, body: "<html><body>Sign in</body></html>" });
    pypi.index.override("/pypi/fastapi/json", { status: 200, body: "<html><body>Sign in</body></html>" });
    const html = await world.bumpwise(demo, "explain", "fastapi", "0.65.1", "0.65.2", "--ecosystem", "pypi");
    expect(html.code).toBe(3);
    expect(html.stderr).toBe("bumpwise: the index answered HTML instead of JSON for fastapi\n");
  });
});

describe("bumpwise review on a uv project with packages from another index and direct URLs", () => {
  it("plans only what comes from the index; the others are listed as not planned, with where they come from", async () => {
    const { code, report } = await review(path.join(lockfiles, "py-uv-sources"));
    expect(code).toBe(0);
    expect(report.bumps.map((bump) => `${bump.name} ${bump.from} → ${bump.to}`)).toEqual(["pyyaml 6.0.1 → 6.0.4"]);
    expect(report.errors.map((error) => [error.package, error.code, error.message])).toEqual([
      ["idna", "not-planned", "not planned: from http://127.0.0.1:8765/simple"],
      ["iniconfig", "not-planned", "not planned: url"],
      ["six", "not-planned", "not planned: url"],
    ]);
  });
});
