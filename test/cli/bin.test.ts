import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const bin = path.resolve(import.meta.dirname, "../../src/cli/bin.ts");

describe("the bumpwise executable", () => {
  it("stops quietly when its reader goes away (bumpwise review --help | head): no EPIPE stack trace", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", bin, "review", "--help"], { stdio: ["ignore", "pipe", "pipe"] });
    // The reader is gone before bumpwise writes a byte.
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
  }, 30_000);
});
