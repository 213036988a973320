// Preloaded into a measured process: reports its peak resident memory when it exits.
process.on("exit", () => {
  process.stderr.write(`\nbench:maxRSS=${process.resourceUsage().maxRSS}\n`);
});
