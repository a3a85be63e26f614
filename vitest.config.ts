import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    setupFiles: ["tests/setup.ts"],
    // Scenario tests start servers and Octokit clients; keep them isolated per file.
    pool: "forks",
    testTimeout: 20_000,
  },
});
