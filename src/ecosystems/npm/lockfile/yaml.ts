import { createRequire } from "node:module";

type Yaml = typeof import("yaml");
let yaml: Yaml | undefined;

/** YAML's parse, loaded on first use: only pnpm projects have YAML to read. */
export function parseYaml(text: string): unknown {
  yaml ??= createRequire(import.meta.url)("yaml") as Yaml;
  return yaml.parse(text);
}
