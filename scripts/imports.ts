// Measures the layout from the code's own imports (issue "One shape for every ecosystem"):
// how much npm and Python code lives in its plugin folder, which generic files import a plugin,
// where code outside the plugins names an ecosystem, and the import cycles between folders.
// Run: npx tsx scripts/imports.ts [--list]
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

const root = path.resolve(import.meta.dirname, "..", "src");
const list = process.argv.includes("--list");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return entry.endsWith(".ts") && !entry.endsWith(".d.ts") ? [full] : [];
  });
}

const relative = (file: string) => path.relative(root, file).split(path.sep).join("/");
const plugin = (file: string) => /^ecosystems\/([^/]+)\//.exec(file)?.[1];
// A folder unit: a plugin, or a top-level folder of src/ (a file at the top is its own unit). The map of
// plugins (ecosystems/index.ts) is the one place that loads them, so it stands apart from the port
// (ecosystems/*.ts) every plugin implements: plugins import the port, the map imports the plugins.
const unit = (file: string) =>
  plugin(file) ? `ecosystems/${plugin(file)}` : file === "ecosystems/index.ts" ? "ecosystems/index.ts (the map)" : file.includes("/") ? file.split("/")[0]! : file;

const files = sourceFiles(root).map(relative).sort();
const imports = new Map<string, string[]>();
for (const file of files) {
  const text = readFileSync(path.join(root, file), "utf8");
  const targets = ts
    .preProcessFile(text, true, true)
    .importedFiles.map((ref) => ref.fileName)
    .filter((name) => name.startsWith("."))
    .map((name) => path.posix.normalize(path.posix.join(path.posix.dirname(file), name.replace(/\.js$/, ".ts"))));
  imports.set(file, targets);
}

const lines = (file: string) => readFileSync(path.join(root, file), "utf8").split("\n").length;
const ecosystemIds = [...new Set(files.map(plugin).filter((id): id is string => id !== undefined))];

// The map of plugins and the commands that pick one may import a plugin; nothing else may.
const mayImportPlugins = (file: string) => file === "ecosystems/index.ts";
const intoPlugins = [...imports].flatMap(([file, targets]) => (plugin(file) || mayImportPlugins(file) ? [] : targets.filter((target) => plugin(target)).map((target) => `${file} -> ${target}`)));

// Code outside the plugins that names an ecosystem: a literal "npm" / "pypi" compared or switched on.
const branchPattern = new RegExp(`(===|!==|case)\\s*"(${ecosystemIds.join("|")})"|"(${ecosystemIds.join("|")})"\\s*(===|!==)`, "g");
const branches = files.flatMap((file) => {
  if (plugin(file) || file === "types.ts") return [];
  return readFileSync(path.join(root, file), "utf8")
    .split("\n")
    .flatMap((line, index) => (branchPattern.test(line) ? [`${file}:${index + 1}`] : []));
});

// Folder-level cycles: strongly connected units of the folder graph (Tarjan).
const graph = new Map<string, Set<string>>();
for (const [file, targets] of imports) {
  for (const target of targets) {
    if (unit(file) === unit(target)) continue;
    graph.set(unit(file), (graph.get(unit(file)) ?? new Set()).add(unit(target)));
  }
}
const cycles: string[][] = [];
{
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
}

const cliImporters = [...imports].flatMap(([file, targets]) => (unit(file) !== "cli" && targets.some((target) => unit(target) === "cli") ? [file] : []));

console.log(`source files: ${files.length}`);
for (const id of ecosystemIds) {
  const own = files.filter((file) => plugin(file) === id);
  console.log(`ecosystems/${id}/: ${own.length} files, ${own.reduce((sum, file) => sum + lines(file), 0)} lines`);
}
console.log(`generic files importing plugin code: ${intoPlugins.length}`);
if (list) for (const edge of intoPlugins) console.log(`  ${edge}`);
console.log(`places outside the plugins that branch on an ecosystem id: ${branches.length}`);
if (list) for (const place of branches) console.log(`  ${place}`);
console.log(`folder-level import cycles: ${cycles.length}`);
for (const cycle of cycles) console.log(`  ${cycle.join(" <-> ")}`);
console.log(`files outside cli/ importing cli/: ${cliImporters.length}`);
if (list) for (const file of cliImporters) console.log(`  ${file}`);
if (process.argv.includes("--edges")) {
  for (const [file, targets] of imports) {
    for (const target of targets) if (unit(file) !== unit(target)) console.log(`  ${unit(file)} -> ${unit(target)}   (${file} -> ${target})`);
  }
}
