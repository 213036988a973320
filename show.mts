import { readFileSync, readdirSync } from "node:fs";
import { splitSections } from "./src/changelog/sections.ts";
const [file, ...versions] = process.argv.slice(2);
const f = readdirSync("fixtures/changelogs").find((x) => x.startsWith(file!))!;
const s = splitSections(readFileSync(`fixtures/changelogs/${f}`, "utf8"));
for (const v of versions) console.log(`=== ${v}\n${s.get(v)?.body.slice(0, 700)}`);
