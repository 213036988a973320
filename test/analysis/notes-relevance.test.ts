import { describe, expect, it } from "vitest";
import { heuristicSignals } from "../../src/analysis/heuristics.js";
import { notesForProject } from "../../src/analysis/notes-relevance.js";
import { projectView, usageOf } from "../helpers/project.js";
import { emptyUsage } from "../../src/usage/record.js";
import { pep440Versioning } from "../../src/ecosystems/pypi/versioning.js";
import { nodeNotes } from "../../src/ecosystems/npm/notes/runtime.js";

const lines = (body: string) => heuristicSignals([{ version: "1.8.0", body, source: "tarball" }]);

describe("release-note lines made about the project", () => {
  // Recorded: axios 1.8.0's "BREAKING CHANGES" items (fixtures/tarballs/axios-1.21.1.tgz, CHANGELOG.md).
  const axios = "### BREAKING CHANGES\n\n- code relying on the above will now combine the URLs instead of prefer request URL\n- feat: add config option for allowing absolute URLs\n- fix: add default value for allowAbsoluteUrls in buildFullPath";

  it("a break that names an API the project uses stays breaking and points at the use site", async () => {
    const usage = await usageOf("axios", "src/client.ts", 'import axios from "axios";\nconst api = axios.create({ baseURL: "https://api.example.com" });\nexport const buildFullPath = (p: string) => p;\n');
    usage.sites.push({ file: "src/client.ts", line: 9, specifier: "axios", symbol: "buildFullPath", kind: "call", derived: false });
    const [first] = notesForProject(lines(axios), projectView({ usage, name: "axios" })).filter((signal) => signal.severity === "breaking");
    expect(first).toMatchObject({ severity: "breaking", touches: [{ file: "src/client.ts", line: 9 }], fact: "uses `buildFullPath` at src/client.ts:9" });
  });

  it("a break that names nothing the project uses is risky, and says why", async () => {
    const usage = await usageOf("axios", "src/client.ts", 'import axios from "axios";\nawait axios.get("https://example.com/a.json");\n');
    const signals = notesForProject(lines(axios), projectView({ usage, name: "axios" }));
    expect(signals.map((signal) => signal.severity)).toEqual(["risky", "risky", "risky"]);
    expect(signals[0]?.message).toContain("it names nothing the project's code uses");
  });

  it("risky when the project's code does not import the package, or was not available", () => {
    expect(notesForProject(lines(axios), projectView({ name: "axios" }))[0]?.message).toContain("does not import axios");
    expect(notesForProject(lines(axios), projectView({ name: "axios", codeAvailable: false }))[0]?.fact).toBe("project code not available");
  });

  it.each([
    ["Dropped support for Node.js 14", ">=14", "breaking"],
    ["Dropped support for Node.js 14", ">=16", "info"],
    ["drop support for node < 10.x", ">=8", "breaking"],
    ["The minimum supported Node.js version is now 18", ">=16", "breaking"],
    ["The minimum supported Node.js version is now 18", "^18.17 || >=20", "info"],
  ])("a Node line is compared with the project's Node range: %s against %s → %s", (line, range, severity) => {
    const [signal] = notesForProject(lines(line), projectView({ manifest: { engines: { node: range } } }), { runtime: nodeNotes });
    expect(signal?.severity).toBe(severity);
    expect(signal?.fact).toBe(`engines.node ${range}`);
  });

  it("a Node line against a project that declares no Node version is risky", () => {
    const [signal] = notesForProject(lines("Dropped support for Node.js 14"), projectView({}), { runtime: nodeNotes });
    expect(signal).toMatchObject({ severity: "risky", fact: "no Node version declared" });
  });
});

describe("a plain English word, or an object's key, is not a use", () => {
  // Recorded: axios 1.21.0's notes (fixtures/tarballs/axios-1.21.1.tgz, CHANGELOG.md).
  const headerDefaults = "## ⚠️ Breaking Changes & Deprecations\n\n* **Header Defaults:** Only plain objects, null-prototype maps, and compatible `AxiosHeaders` instances are treated as common or method-specific defaults; literal headers such as `Link` are now preserved. Applications using custom class instances as defaults must convert them to plain maps, for example `{ post: { ...customDefaults } }`, or compatible `AxiosHeaders`.";
  const judge = async (line: string, source: string) => {
    const usage = await usageOf("axios", "src/client.ts", source);
    return notesForProject(heuristicSignals([{ version: "1.21.0", body: line, source: "tarball" }]), projectView({ usage, name: "axios" }))[0];
  };

  it("axios 1.21.0's header-defaults break does not name `defaults` for a project that sets axios.defaults.baseURL", async () => {
    expect(await judge(headerDefaults, 'import axios from "axios";\naxios.defaults.baseURL = "http://localhost:3000";\n')).toMatchObject({ severity: "risky", fact: "names no API the project uses" });
  });

  it("…nor `post`, a defaults key in `{ post: { ...customDefaults } }`, for a project calling axios.post (linkwarden's)", async () => {
    expect(await judge(headerDefaults, 'import axios from "axios";\nexport const seed = () => axios.post("/api/v1/users", { username: "test" });\n')).toMatchObject({ severity: "risky", fact: "names no API the project uses" });
  });

  it("the same name as a call in code form is the API", async () => {
    const signal = await judge("## Breaking Changes\n\n* `axios.post(url, data)` no longer serialises `data` when it is a string.", 'import axios from "axios";\nexport const seed = () => axios.post("/api/v1/users", { username: "test" });\n');
    expect(signal).toMatchObject({ severity: "breaking", strength: "quoted", touches: [{ file: "src/client.ts", line: 2 }] });
  });
});

describe("a line that drops support for a release line of something the project has", () => {
  // Lines from pytest-django's changelog (docs/changelog.rst in its 4.14.0 sdist on PyPI).
  const drops = (body: string, version = "4.14.0") => heuristicSignals([{ version, body, source: "sdist" }]);

  it("is breaking, quoted, when the project has that package on a dropped line after this upgrade", () => {
    const view = projectView({ installed: [["django", "4.2.3"]], planned: [["django", "4.2.30"]] });
    const [signal] = notesForProject(drops("* Dropped support for Django 4.2 and 5.1."), view);
    expect(signal).toMatchObject({ severity: "breaking", strength: "quoted", fact: "django 4.2.30 after this upgrade" });
  });

  it("is information when the project's copy is on a line still supported", () => {
    const view = projectView({ installed: [["django", "5.2.1"]] });
    const [signal] = notesForProject(drops("* Dropped support for Django 4.2 and 5.1."), view);
    expect(signal).toMatchObject({ severity: "info", fact: "django 5.2.1 installed" });
  });

  it("compares a dropped Python with the Python the project declares", () => {
    const python = (range: string) => ({ ...projectView({}), facts: { ...projectView({}).facts, python: { range, source: "requires-python in pyproject.toml" } } });
    const line = "* Drop support for Python version 3.5, 3.6 & 3.7.";
    expect(notesForProject(drops(line), python(">=3.6"), { versioning: pep440Versioning })[0]).toMatchObject({ severity: "breaking", strength: "quoted" });
    expect(notesForProject(drops(line), python("==3.10.*"), { versioning: pep440Versioning })[0]).toMatchObject({ severity: "info" });
  });
});

describe("a risky line that names the API it is about", () => {
  // Real lines: Django 4.2.x's security release notes (docs/releases/4.2.*.txt) and python-dateutil 2.9.0's NEWS.
  const django = "``URLField.to_python()`` now uses a simplified scheme detection, avoiding Unicode normalization entirely and deferring URL validation to the appropriate layers. As a result, while leading and trailing whitespace is no longer stripped by the field";
  const dateutil = "- Removed a call to ``datetime.utcfromtimestamp``, which is deprecated as of Python 3.12. Reported by Hugo van Kemenade (gh pr #1284), fixed by Thomas Grainger (gh pr #1285).";
  const pythonUsage = (name: string, sites: { specifier: string; symbol: string; member?: string; keywords?: string[] }[]) => {
    const usage = emptyUsage(name);
    usage.files.push({ file: "shop/models.py", imports: [{ kind: "python", specifier: sites[0]?.specifier ?? name, line: 1, typeOnly: false, names: ["*"], bindings: [] }] });
    sites.forEach((site, index) => usage.sites.push({ file: "shop/models.py", line: index + 3, specifier: site.specifier, symbol: site.symbol, ...(site.member ? { member: site.member } : {}), kind: "call", derived: false, ...(site.keywords ? { arguments: { positional: 0, keywords: site.keywords, spread: false } } : {}) }));
    return usage;
  };
  const risky = (body: string) => heuristicSignals([{ version: "4.2.30", body, source: "sdist" }]).filter((signal) => signal.severity === "risky");

  it("is information when the project imports the package and uses none of the names (Django's URLField line for a project using models.CharField)", () => {
    const [signal] = notesForProject(risky(django), projectView({ name: "django", usage: pythonUsage("django", [{ specifier: "django.db.models", symbol: "CharField" }]) }));
    expect(signal).toMatchObject({ severity: "info", strength: "inferred", fact: "names no API the project uses" });
    expect(signal?.message).toMatch(/; it is about `URLField\.to_python\(\)`, which the project's code does not use$/);
    const [removed] = notesForProject(risky(dateutil), projectView({ name: "python-dateutil", usage: pythonUsage("dateutil", [{ specifier: "dateutil.parser", symbol: "parse" }]) }));
    expect(removed).toMatchObject({ severity: "info" });
  });

  it("stays risky, tied to the use site, when the project uses a name it gives (forms.URLField), and stays risky when the package's use is unknown", () => {
    const [used] = notesForProject(risky(django), projectView({ name: "django", usage: pythonUsage("django", [{ specifier: "django.forms", symbol: "URLField" }]) }));
    expect(used).toMatchObject({ severity: "risky", strength: "quoted", touches: [{ file: "shop/models.py", line: 3 }] });
    expect(notesForProject(risky(django), projectView({ name: "django" }))[0]?.severity).toBe("risky");
    expect(notesForProject(risky(django), projectView({ name: "django", codeAvailable: false }))[0]?.severity).toBe("risky");
  });

  it("a line naming nothing in code form stays risky", () => {
    const [signal] = notesForProject(risky("Sessions no longer expire when the server restarts."), projectView({ name: "django", usage: pythonUsage("django", [{ specifier: "django.db.models", symbol: "CharField" }]) }));
    expect(signal?.severity).toBe("risky");
  });
});

describe("a line about a member on what the code names is about that member", () => {
  // stripe 22.4.0's CHANGELOG.md (in its npm tarball), for code that names Stripe.Checkout.SessionCreateParams (ghostfolio's shape).
  const removed = "* Remove support for `dynamic_tax_rates` on `Checkout.SessionCreateParams.line_items[]`.  This field was limited-use and is being deprecated.";
  const code = 'import Stripe from "stripe";\nexport const params: Stripe.Checkout.SessionCreateParams = { mode: "subscription", line_items: [{ price: "price_1", quantity: 1 }] };\n';

  it("is risky, tied to the use of `Checkout`, not breaking: the code's use does not show it sets the member", async () => {
    const usage = await usageOf("stripe", "src/billing.ts", code);
    const [signal] = notesForProject(heuristicSignals([{ version: "22.4.0", body: removed, source: "tarball" }]), projectView({ usage, name: "stripe" }));
    expect(signal).toMatchObject({ severity: "risky", strength: "inferred", touches: [{ file: "src/billing.ts", line: 2 }] });
    expect(signal?.message).toContain("it is about `dynamic_tax_rates` on `Checkout.SessionCreateParams.line_items[]`; the project uses `Checkout` at src/billing.ts:2");
  });

  it("a line about the named path itself stays breaking, quoted", async () => {
    const usage = await usageOf("stripe", "src/billing.ts", code);
    const [signal] = notesForProject(heuristicSignals([{ version: "22.4.0", body: "* Remove support for `Checkout.SessionCreateParams`.", source: "tarball" }]), projectView({ usage, name: "stripe" }));
    expect(signal).toMatchObject({ severity: "breaking", strength: "quoted", touches: [{ file: "src/billing.ts", line: 2 }] });
  });
});
