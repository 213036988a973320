#!/usr/bin/env node
import module from "node:module";
// Node 22.1 and later keep V8's compiled code on disk, so a re-run starts faster; Node 20 has no such cache.
module.enableCompileCache?.();
await import("../dist/cli/bin.js");
