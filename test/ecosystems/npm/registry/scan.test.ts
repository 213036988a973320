import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkPackument, scanPackument, toPackageHistory, trimManifest } from "../../../../src/ecosystems/npm/registry/packument.js";
import { fixturesDir } from "../../../helpers/fake-registry.js";

const everyOther = (versions: string[]) => versions.filter((_, index) => index % 2 === 0);

describe("scanPackument gives what JSON.parse gives", () => {
  const files = readdirSync(path.join(fixturesDir, "registry")).filter((file) => file.endsWith(".json"));
  it.each(files)("%s", (file) => {
    const text = readFileSync(path.join(fixturesDir, "registry", file), "utf8");
    const parsed = checkPackument(JSON.parse(text));
    const scanned = scanPackument(Buffer.from(text), everyOther);
    expect(scanned.history).toEqual(toPackageHistory(parsed));
    const expectedKept = Object.fromEntries(everyOther(Object.keys(parsed.versions ?? {})).map((v) => [v, trimManifest(v, parsed.versions?.[v])]));
    expect(scanned.kept).toEqual(expectedKept);
  });

  it("decodes multi-byte UTF-8 only where it is kept", () => {
    const text = '{"name":"ünï","readme":"🚀 fast","versions":{"1.0.0":{"version":"1.0.0","deprecated":"nutze 2.x – bitte"}}}';
    const scanned = scanPackument(Buffer.from(text), (versions) => versions);
    expect(scanned.history.name).toBe("ünï");
    expect(scanned.history.versions["1.0.0"]?.deprecated).toBe("nutze 2.x – bitte");
  });

  it("handles escapes, nesting, odd spacing and deprecations of every shape", () => {
    const text = ` { "readme" : "a \\"quoted\\" } { [ tricky \\\\\\" ] text", "name":"odd",
      "versions": { "1.0.0": {"version":"1.0.0","deprecated":"use \\"2.x\\"","x":[1,{"y":"}"}]},
        "1.1.0": {"version":"1.1.0","deprecated":false}, "1.2.0": {"version":"1.2.0","deprecated":""} },
      "time": {"created":"2020-01-01T00:00:00Z","1.0.0":"2020-01-02T00:00:00Z"}, "dist-tags": {"latest":"1.2.0"} } `;
    const scanned = scanPackument(Buffer.from(text), (versions) => versions);
    expect(scanned.history).toEqual(toPackageHistory(checkPackument(JSON.parse(text))));
    expect(scanned.history.versions["1.0.0"]?.deprecated).toBe('use "2.x"');
    expect(scanned.kept["1.1.0"]).toEqual({ version: "1.1.0" });
  });

  it("reads a deprecation only as a version's own field, wherever else the word appears", () => {
    const text = `{"name":"d","versions":{
      "1.0.0":{"version":"1.0.0","description":"\\"deprecated\\": no","nested":{"deprecated":"not this"}},
      "1.1.0":{"version":"1.1.0","deprecated":"use 2"},
      "1.2.0":{"version":"1.2.0"},
      "1.3.0":{"version":"1.3.0","scripts":{"deprecated":"x"},"deprecated":"last"}},
      "time":{"1.0.0":"2020-01-02T00:00:00Z"},"readme":"\\"deprecated\\":\\"everything\\""}`;
    const scanned = scanPackument(Buffer.from(text), () => []);
    expect(scanned.history).toEqual(toPackageHistory(checkPackument(JSON.parse(text))));
    expect(Object.values(scanned.history.versions).map((version) => version.deprecated)).toEqual([undefined, "use 2", undefined, "last"]);
  });

  it.each(['{"name": "x", "versions": {', '{"versions": {}}', "<html>oops</html>", ""])("rejects %j", (text) => {
    expect(() => scanPackument(Buffer.from(text), (versions) => versions)).toThrow();
  });
});
