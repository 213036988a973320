import { exitCleanlyOnSignals } from "../interrupt.js";
import { run } from "./main.js";

exitCleanlyOnSignals(process.stderr);
process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
