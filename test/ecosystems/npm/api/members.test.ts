import { describe, expect, it } from "vitest";
import { declarationsFromFiles } from "../../../../src/ecosystems/npm/api/declarations.js";
import { diffDeclarations } from "../../../../src/ecosystems/npm/api/diff.js";
import { apiSignals } from "../../../../src/ecosystems/npm/api/signals.js";
import type { ApiDiff } from "../../../../src/analysis/api-diff.js";
import { loadRecorded } from "../../../helpers/api-fixtures.js";
import type { Signal } from "../../../../src/types.js";
import { usageOf } from "../../../helpers/project.js";

// Type findings are matched to the member that changed, not to the first symbol of the chain, on
// recorded real pairs (fixtures/api/) and usage scanned from source by the real scanner.
async function recorded(pair: string): Promise<ApiDiff> {
  return diffDeclarations(await loadRecorded(pair, "from"), await loadRecorded(pair, "to"), { review: false });
}

const serious = (signals: Signal[]) => signals.filter((signal) => signal.severity !== "info" && signal.rule.startsWith("api/"));

describe("a member removed from a type the code uses", () => {
  it("commander 12.0 → 12.1: Option lost fullDescription — reached when the code calls it on an Option it made", async () => {
    const diff = await recorded("commander@12.0.0..12.1.0");
    const usage = await usageOf("commander", "src/cli.ts", 'import { Option } from "commander";\nconst option = new Option("-d, --debug");\nconsole.log(new Option("-q").fullDescription());\n');
    expect(serious(apiSignals(diff, usage, "12.1.0").signals)).toContainEqual(expect.objectContaining({ rule: "api/member-removed", symbols: ["Option"] }));
  });

  it("…and not reached when the code only builds Options and hands them on", async () => {
    const diff = await recorded("commander@12.0.0..12.1.0");
    const usage = await usageOf("commander", "src/cli.ts", 'import { Command, Option } from "commander";\nconst program = new Command();\nprogram.addOption(new Option("-d, --debug").default(false));\n');
    const { signals } = apiSignals(diff, usage, "12.1.0");
    expect(serious(signals).filter((signal) => signal.rule === "api/member-removed")).toEqual([]);
    expect(signals).toContainEqual(expect.objectContaining({ rule: "api/unused", severity: "info" }));
  });

  it("@types/react 18.2 → 18.3: DOMAttributes lost onPointerEnterCapture — naming the type does not reach the member", async () => {
    const diff = await recorded("@types__react@18.2.0..18.3.0");
    const usage = await usageOf("react", "src/Button.tsx", 'import type { DOMAttributes } from "react";\nexport function Button(props: DOMAttributes<HTMLButtonElement>) {\n  return <button onClick={props.onClick}>ok</button>;\n}\n');
    expect(serious(apiSignals(diff, usage, "18.3.0").signals).filter((signal) => signal.symbols?.includes("DOMAttributes"))).toEqual([]);
  });
});

describe("a namespace used at one member", () => {
  it("undici-types 6.11 → 6.19: Dispatcher.DispatcherInterceptor removed — not reached by code that uses Dispatcher.DispatchOptions", async () => {
    const diff = await recorded("undici-types@6.11.1..6.19.8");
    const usage = await usageOf("undici-types", "src/http.ts", 'import type { Dispatcher } from "undici-types";\nexport const options: Dispatcher.DispatchOptions = { path: "/", method: "GET" };\n');
    expect(serious(apiSignals(diff, usage, "6.19.8").signals).filter((signal) => signal.symbols?.includes("Dispatcher.DispatcherInterceptor"))).toEqual([]);
  });

  it("…and reached by code that names it", async () => {
    const diff = await recorded("undici-types@6.11.1..6.19.8");
    const usage = await usageOf("undici-types", "src/http.ts", 'import type { Dispatcher } from "undici-types";\nexport const interceptor: Dispatcher.DispatcherInterceptor = (dispatch) => dispatch;\n');
    expect(serious(apiSignals(diff, usage, "6.19.8").signals)).toContainEqual(expect.objectContaining({ rule: "api/export-removed", symbols: ["Dispatcher.DispatcherInterceptor"] }));
  });
});

describe("every type finding is a reading until the compiler proves it", () => {
  it("a finding on a member the code touches is at most risky without a proof, and says how strong it is", async () => {
    const diff = await recorded("commander@12.0.0..12.1.0");
    const usage = await usageOf("commander", "src/cli.ts", 'import { Option } from "commander";\nconsole.log(new Option("-q").fullDescription());\n');
    const finding = apiSignals(diff, usage, "12.1.0").signals.find((signal) => signal.rule === "api/member-removed");
    expect(finding).toMatchObject({ strength: "inferred" });
  });
});

describe("explain (no project) stays package-level and says whom a finding breaks", () => {
  it("undici-types 6.2 → 6.6: a required member added is risky, for code that implements or mocks the type", async () => {
    const diff = await recorded("undici-types@6.2.0..6.6.0");
    expect(apiSignals(diff, undefined, "6.6.0").signals).toContainEqual(
      expect.objectContaining({ rule: "api/required-member-added", severity: "risky", message: expect.stringContaining("(for code that implements or mocks Dispatcher.ConnectOptions)") }),
    );
  });

  it("socks-proxy-agent 6.1.1 → 6.2.1: a removed export is breaking, for code that imports it", async () => {
    const diff = await recorded("socks-proxy-agent@6.1.1..6.2.1");
    expect(apiSignals(diff, undefined, "6.2.1").signals).toContainEqual(expect.objectContaining({ rule: "api/export-removed", severity: "breaking", message: expect.stringContaining("(for code that imports it)") }));
  });
});

describe("an export that is no longer a type but still a value (vue-multiselect 3.0 → 3.5: a declared class became a component constant)", () => {
  it("does not reach code that registers the component by value, in a TypeScript project's Vue file as in JavaScript", async () => {
    const diff = await recorded("vue-multiselect@3.0.0..3.5.0");
    const usage = await usageOf("vue-multiselect", "src/components/Tags.vue", '<template><vue-multiselect /></template>\n<script>\nimport VueMultiselect from "vue-multiselect";\nexport default { components: { VueMultiselect } };\n</script>\n');
    const { signals } = apiSignals(diff, usage, "3.5.0");
    expect(serious(signals)).toEqual([]);
    expect(signals).toContainEqual(expect.objectContaining({ rule: "api/unused", severity: "info", message: expect.stringContaining("api/default-export-changed ×1") }));
  });

  it("…and reaches code that names it as a type", async () => {
    const diff = await recorded("vue-multiselect@3.0.0..3.5.0");
    const usage = await usageOf("vue-multiselect", "src/picker.ts", 'import Multiselect from "vue-multiselect";\nexport function focus(picker: Multiselect): void {\n  picker.activate();\n}\n');
    expect(serious(apiSignals(diff, usage, "3.5.0").signals)).toContainEqual(expect.objectContaining({ rule: "api/default-export-changed", symbols: ["default"] }));
  });
});

describe("what is compared is bounded by work, not time", () => {
  it("zod 4.3.6 → 4.6.7 on the names a real app uses: past the review tier's bound on types, only the confident rules run (its checks of ZodTuple's constructor types went past 1 GB)", async () => {
    // The exports umami's code uses (recorded from its review).
    const used = ["coerce.number", "default", "export=", "object", "string", "uuid", "z.ZodIssueCode.custom", "z.ZodRawShape", "z.any", "z.array", "z.boolean", "z.coerce.date", "z.coerce.number", "z.discriminatedUnion", "z.enum", "z.intersection", "z.literal", "z.number", "z.object", "z.record", "z.string", "z.treeifyError", "z.uuid"];
    const diff = diffDeclarations(await loadRecorded("zod@4.3.6..4.6.7", "from"), await loadRecorded("zod@4.3.6..4.6.7", "to"), { review: true, used });
    expect(diff.degraded).toEqual({ reason: "too-large", message: expect.stringMatching(/took \d+ types, past the review tier's work bound \(20000/) });
    expect(diff.findings.filter((finding) => finding.tier === "review")).toEqual([]);
    expect(diff.findings.filter((finding) => finding.tier === "confident").length).toBeGreaterThan(0);
  }, 60_000);

  it("…while a pair under it runs its review tier (@types/react 18.2 → 18.3: useMemo's type no longer fits)", async () => {
    const diff = diffDeclarations(await loadRecorded("@types__react@18.2.0..18.3.0", "from"), await loadRecorded("@types__react@18.2.0..18.3.0", "to"), { review: true });
    expect(diff.degraded).toBeUndefined();
    expect(diff.findings).toContainEqual(expect.objectContaining({ rule: "api/type-incompatible", tier: "review", symbol: "useMemo" }));
  }, 60_000);

  it("a package with more changed declarations than the review tier's bound compares the same first 400 every time, and says it left the rest out", async () => {
    // 450 options interfaces, each taken by an exported function: every one changes its field's type.
    const version = (type: string, at: string) =>
      declarationsFromFiles("many", at, { package: "many", version: at }, { types: "index.d.ts" }, [
        { path: "index.d.ts", content: Array.from({ length: 450 }, (_, index) => `export interface Options${index} { value: ${type}; }\nexport declare function use${index}(options: Options${index}): void;`).join("\n") },
      ]);
    const [from, to] = [version("string", "1.0.0"), version("number", "1.1.0")];
    const first = diffDeclarations(from, to, { review: true });
    const second = diffDeclarations(from, to, { review: true });
    expect(first.degraded).toEqual({ reason: "too-large", message: expect.stringContaining("50 of 450 changed declarations were past the review tier's work bound") });
    expect(second.findings.map((finding) => finding.symbol)).toEqual(first.findings.map((finding) => finding.symbol));
  }, 60_000);
});
