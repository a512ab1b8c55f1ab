/**
 * vitest globalSetup: find or fetch the test data once, before any test runs, and tell
 * every test worker where it is (see src/testing/test-data.ts).
 */
import { defaultTestCache, ensureTestData } from "../src/testing/ensure-test-data.js";
import { SHARED_DIR, TEST_DATA_ENV } from "../src/testing/test-data.js";

export default async function setup(): Promise<void> {
  const data = await ensureTestData({
    shared: SHARED_DIR,
    cache: defaultTestCache(),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.env[TEST_DATA_ENV.moore2025] = data.moore2025;
  process.env[TEST_DATA_ENV.fixtures] = data.fixtures;
}
