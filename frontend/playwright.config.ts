import { defineConfig } from '@playwright/test';

// Runs against `wails dev` (real Go bindings), started by the harness outside
// this folder. Point HEARTH_E2E_URL at `npm run dev` to try the specs on the
// in-memory demo data instead. Never run `playwright install`: Debian's
// Chromium is used.
export default defineConfig({
  testDir: './e2e',
  // A 2-core machine running Go, Vite and Chromium at once: be patient.
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: process.env.HEARTH_E2E_URL ?? 'http://localhost:34115',
    viewport: { width: 1280, height: 800 },
    actionTimeout: 20_000,
    navigationTimeout: 60_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
