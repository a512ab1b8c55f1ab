import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Finds (../shared) or fetches (a cache outside the repository) the test data once.
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    pool: "forks",
    // On CI, also write a machine-readable summary that .ci/run turns into a closing line.
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    ...(process.env.CI ? { outputFile: { json: ".ci/vitest-report.json" } } : {}),
  },
});
