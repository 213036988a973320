import { exitCleanlyOnSignals } from "../interrupt.js";
import { run } from "./main.js";

// A reader that goes away (`bumpwise review --help | head`) is not an error to print a stack trace for:
// stop quietly, as other command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}
exitCleanlyOnSignals(process.stderr);
process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
