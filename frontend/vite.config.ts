import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The screen tests run in UTC whatever the machine's zone: the tasks panel and the calendar turn
// the local day picked into an instant, and the fake replays Go's answers recorded for the
// instants a UTC day gives (app/recorded_*_test.go pin time.Local too). Set here, before
// Vitest starts its workers, so that every worker (forks or threads) inherits it before any
// Date is made; src/test/setup.ts checks it.
if (process.env.VITEST) process.env.TZ = 'UTC';

// Wails serves the built files from disk and proxies `vite` in dev mode, so
// relative asset URLs and the default dev-server settings are all we need.
export default defineConfig({
  base: './',
  plugins: [react()],
  // The end-to-end harness (.ci/e2e) turns HMR and file watching off: a file saved while the
  // specs run must not reload the page under them.
  server: process.env.HEARTH_E2E_NO_HMR
    ? { strictPort: false, hmr: false, watch: { ignored: ['**/*'] } }
    : { strictPort: false },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    testTimeout: 20_000,
  },
});
