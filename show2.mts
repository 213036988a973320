import { readFileSync } from "node:fs";
import { splitSections } from "./src/changelog/sections.ts";
const [file, ...versions] = process.argv.slice(2);
const s = splitSections(readFileSync(file!, "utf8"));
for (const v of versions) console.log(`=== ${v}\n${s.get(v)?.body.slice(0, 900)}`);
