import { readFileSync } from "node:fs";

// Both src/cli (tests) and dist/cli (installed) sit two levels below package.json.
export const toolVersion: string = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;
