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
      // `import ts = require("typescript")`: Node's ESM loader would first scan all of typescript.js for its exports.
      "@typescript-eslint/no-require-imports": ["error", { allow: ["^typescript$"] }],
    },
  },
  {
    files: ["bench/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { process: "readonly" } },
  },
);
