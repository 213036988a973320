// One lint preset: ESLint's and typescript-eslint's recommended rules, type-aware where it pays.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "fixtures/**", "coverage/**", ".ci-venv/**", "tmp/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-control-regex": "off",
    },
  },
  // The plugin boundary: only the map (src/ecosystems/index.ts) loads a plugin, a plugin never reaches
  // into another, and no code outside them names an ecosystem: what differs is data or a hook on the plugin.
  {
    files: ["src/**/*.ts"],
    ignores: ["src/ecosystems/*/**", "src/ecosystems/index.ts", "src/types.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "(^|/)ecosystems/[^/]+/", message: "Only src/ecosystems/index.ts loads a plugin; put what this needs on the plugin's interface." },
            // An ecosystem's own libraries (its version scheme, registry client, parsers) stay in its plugin.
            { regex: "^(semver|@renovatebot/pep440|pacote|npm-registry-fetch|npm-package-arg|@npmcli/.*|@yarnpkg/.*|@lezer/python|typescript|yaml|smol-toml)$", message: "An ecosystem's own library belongs in its plugin folder: use the port (Versioning, the plugin's hooks) instead." },
          ],
        },
      ],
      "no-restricted-syntax": ["error", { selector: "Literal[value=/^(npm|pypi)$/]", message: "An ecosystem id outside its plugin: make what differs data or a hook on the plugin." }],
    },
  },
  ...["npm", "pypi"].map((id) => ({
    files: [`src/ecosystems/${id}/**/*.ts`],
    rules: { "no-restricted-imports": ["error", { patterns: [{ regex: `(^|/)(ecosystems/)?(?!${id}/)(npm|pypi)/`, message: "A plugin never imports another plugin: move what both need to a shared leaf." }] }] },
  })),
  // Type-aware rules where they catch real bugs: promises nobody awaits or that land where void is
  // expected, values stringified as "[object Object]", assertions that hide nothing.
  {
    files: ["src/**/*.ts", "test/**/*.ts", "bench/**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-base-to-string": "error",
      "@typescript-eslint/no-unnecessary-type-assertion": "error",
    },
  },
  {
    files: ["bench/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { process: "readonly" } },
  },
);
