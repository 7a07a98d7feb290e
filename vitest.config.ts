import { defineConfig } from "vitest/config";

// Tests run against real parts: a migrated SQLite file per test file, one real Meilisearch
// started by the global setup (each file uses its own index prefix), and Debian's Chromium for
// the browser tests. Two cores: two workers.
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "{app,db,search,scripts}/**/*.test.ts"],
    globalSetup: ["tests/setup/global.ts"],
    pool: "forks",
    maxWorkers: 2,
    // Files share their worker's modules instead of importing everything afresh (61 s of a run's
    // imports). Every file starts its own portal, database and index prefix, so nothing a file
    // leaves in the modules' state is another file's data.
    isolate: false,
    // The page checks run a few at a time within their file (describe.concurrent): two keep both
    // cores busy while one page waits on the other process; more only queue for the same cores.
    maxConcurrency: 2,
    // Browser journeys on two busy cores (two Chromiums, two portals) can take half a minute a step.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // The portal under test renders with React's production build, as `npm start` does, not the
    // development build that vitest's NODE_ENV=test would load (slower, and not what people get).
    env: { TZ: "Europe/Copenhagen", NODE_ENV: "production" },
  },
});
