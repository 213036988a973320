// Writes the support table into README.md between its markers, from the plugins' declared support.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { supportTable } from "../src/cli/support-table.js";

const readme = path.resolve(import.meta.dirname, "..", "README.md");
const text = readFileSync(readme, "utf8");
if (!/<!-- support:start -->\n[\s\S]*?<!-- support:end -->/.test(text)) throw new Error("README.md has no <!-- support:start --> / <!-- support:end --> markers");
writeFileSync(readme, text.replace(/(<!-- support:start -->\n)[\s\S]*?(<!-- support:end -->)/, `$1${supportTable()}\n$2`));
