import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 20_000,
    // Vitest's default is one worker fewer than the cores: 1 on a 2-core CI machine. Most slow tests wait
    // on real subprocesses (git, npm, uv, Poetry, pipenv) and local servers, so 3 workers share 2 cores well.
    maxWorkers: 3,
  },
});
