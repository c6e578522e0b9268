import { defineConfig } from 'vitest/config'

/**
 * `unit`: rules and in-process route tests, two files at a time. `process`: the tests that start
 * servers or CLI processes of their own (crash tests under kill -9, the CLI), one file at a time
 * after `unit` has finished, so that they never compete with each other or with the route tests
 * for the two cores (they used to take up to 130 s of a 180 s budget beside each other).
 */
const PROCESS_TESTS = ['test/*crash*.test.ts', 'src/cli/cli.test.ts']

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
          exclude: PROCESS_TESTS,
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
          // Each worker keeps its modules from one file to the next: every route file used to
          // import the whole app again (163 s of 381 s on PGlite; 189 s without). Files share no
          // state but the catalogues and registries they install, the same each time.
          isolate: false,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'process',
          include: PROCESS_TESTS,
          // The migrated template (cached in .tmp by migration hash): data directories start from it.
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          // The migrated template: each journey's server starts on a copy of it.
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          pool: 'forks',
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
})
