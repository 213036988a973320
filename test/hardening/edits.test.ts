import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { verifyReply } from "../../src/analysis/llm/verify.js";
import type { LlmReply } from "../../src/analysis/llm/reply.js";

const reply = (file: string): LlmReply => ({
  verdict: "breaking", confidence: 0.8, summary: "s", changes: [], affectsYou: { affected: "yes", reasoning: "" },
  edits: [{ file, search: "old()", replace: "fresh()", reason: "old() was removed" }],
});

describe("an edit from Claude may only touch a regular file inside the project", () => {
  it("refuses a tracked symlink to a file outside, and a file reached through a linked folder", async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), "bumpwise-outside-"));
    await writeFile(path.join(outside, "victim.js"), "old();\n");
    const project = await mkdtemp(path.join(os.tmpdir(), "bumpwise-project-"));
    await mkdir(path.join(project, "src"));
    await symlink(path.join(outside, "victim.js"), path.join(project, "src/link.js"));
    await symlink(outside, path.join(project, "linked"));
    await writeFile(path.join(project, "src/real.js"), "old();\n");
    const sent = { notes: new Map(), files: ["src/link.js", "linked/victim.js", "src/real.js"], urls: new Map() };
    const check = async (file: string) => (await verifyReply(reply(file), sent, project)).dropped;
    expect(await check("src/link.js")).toEqual(["edit to src/link.js dropped: it is a symbolic link"]);
    expect(await check("linked/victim.js")).toEqual(["edit to linked/victim.js dropped: it resolves outside the project through a linked folder"]);
    expect(await check("src/real.js")).toEqual([]);
  });
});
