import '@testing-library/jest-dom/vitest';
import { notifications } from '@mantine/notifications';
import { cleanup } from '@testing-library/react';
import { afterAll, afterEach, vi } from 'vitest';

// vite.config.ts pins the zone: the recorded answers the fake replays are keyed by UTC instants.
if (
  new Date(2026, 6, 1).getTimezoneOffset() !== 0 ||
  new Date(2026, 0, 1).getTimezoneOffset() !== 0
) {
  throw new Error(
    `screen tests must run with TZ=UTC (vite.config.ts), not ${Intl.DateTimeFormat().resolvedOptions().timeZone}`,
  );
}

// Mantine's transitions end on timers (a few hundred milliseconds, more on a loaded machine):
// let the last test's run out before the file's jsdom is torn down, or a late one reaches React
// with no window left ("window is not defined" after BackupsSection's tests, under load).
afterAll(() => new Promise((resolve) => setTimeout(resolve, 500)));

afterEach(() => {
  cleanup();
  // Mantine keeps notifications in a global store: start every test with none shown or queued.
  notifications.clean();
  notifications.cleanQueue();
});

// jsdom has no layout. Give elements a viewport-like size so the virtualised
// table renders a realistic window of rows, and stub what Mantine expects.
Object.defineProperties(HTMLElement.prototype, {
  clientHeight: { configurable: true, get: () => 600 },
  clientWidth: { configurable: true, get: () => 1000 },
  offsetHeight: { configurable: true, get: () => 44 },
  offsetWidth: { configurable: true, get: () => 1000 },
});
HTMLElement.prototype.scrollTo = function scrollTo() {};
HTMLElement.prototype.scrollIntoView = function scrollIntoView() {};

class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
vi.stubGlobal('ResizeObserver', ResizeObserverStub);

Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }),
});
