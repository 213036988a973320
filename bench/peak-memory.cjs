// Preloaded into a measured process: reports its peak resident memory (worker threads included) when it
// exits. Linux's VmHWM is this process image's own high-water mark; getrusage's maxRSS is not: it keeps
// the RSS of the process before exec (the bench's own forked copy, ~230 MB), a floor under every figure.
const { readFileSync } = process.getBuiltinModule("node:fs");

process.on("exit", () => {
  let kilobytes = process.resourceUsage().maxRSS;
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (hwm) kilobytes = Number(hwm[1]);
  } catch {
    // Not Linux: getrusage's figure, floor and all.
  }
  process.stderr.write(`\nbench:maxRSS=${kilobytes}\n`);
});
