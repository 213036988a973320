import { describe, expect, it } from "vitest";
import { declarationsFromFiles } from "../../../../src/ecosystems/npm/api/declarations.js";
import { diffDeclarations } from "../../../../src/ecosystems/npm/api/diff.js";

describe("a declaration file that re-exports from its own directory (`from \"./\"`)", () => {
  // @types/react 19.0 → 19.3's shape: jsx-runtime.d.ts declared JSX itself, then re-exported it from "./".
  const manifest = { types: "index.d.ts", exports: { ".": { types: "./index.d.ts" }, "./jsx-runtime": { types: "./jsx-runtime.d.ts" } } };
  const side = (version: string, runtime: string) =>
    declarationsFromFiles("@types/ui", version, { package: "@types/ui", version }, manifest, [
      { path: "index.d.ts", content: "export declare const Fragment: unique symbol;\nexport namespace JSX {\n  interface Element {}\n  interface IntrinsicElements { div: object }\n}\n" },
      { path: "jsx-runtime.d.ts", content: runtime },
    ]);

  it("resolves it to the directory's index: nothing is reported removed", () => {
    const before = side("19.0.10", 'import * as UI from "./index";\nexport { Fragment } from "./index";\nexport namespace JSX {\n  interface Element extends UI.JSX.Element {}\n  interface IntrinsicElements extends UI.JSX.IntrinsicElements {}\n}\n');
    const after = side("19.3.3", 'export { Fragment, JSX } from "./";\n');
    const diff = diffDeclarations(before, after, { review: false });
    expect(diff.findings.filter((finding) => finding.tier !== "info")).toEqual([]);
  });
});
