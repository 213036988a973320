import { describe, expect, it } from "vitest";
import { runCommand } from "../../src/exec.js";
import { testCommand } from "../../src/upgrade/verify.js";

describe("--verify's command as the user wrote it", () => {
  it("plain words run as they are; quotes, pipes and && run through /bin/sh", () => {
    expect(testCommand("npm test")).toEqual({ command: "npm", args: ["test"], shell: false });
    expect(testCommand("pytest -q tests/unit")).toEqual({ command: "pytest", args: ["-q", "tests/unit"], shell: false });
    expect(testCommand(`pytest -k "not slow"`)).toEqual({ command: "/bin/sh", args: ["-c", `pytest -k "not slow"`], shell: true });
    expect(testCommand("npm run build && npm test")).toMatchObject({ command: "/bin/sh", shell: true });
  });

  it("a quoted argument reaches the program whole (node -e with a script that has spaces)", async () => {
    const { command, args } = testCommand(`node -e "process.stdout.write(String(process.argv.length) + ' ' + 'two words')"`);
    const { stdout } = await runCommand(command, args, { cwd: process.cwd(), env: process.env });
    expect(stdout).toBe("1 two words");
  });
});
