import { notifications } from '@mantine/notifications';
import i18n from '../i18n';
import { describeError, toApiError } from '../api';

/**
 * The one way a failed call reaches the user: a red notification with a
 * translated title and message. Repeated identical errors replace each other.
 */
export function notifyError(reason: unknown): void {
  const err = toApiError(reason);
  const { title, message } = describeError(i18n.t.bind(i18n), err);
  const id = `error:${err.code}:${message}`;
  notifications.hide(id);
  notifications.show({
    id,
    color: 'red',
    title,
    message,
    autoClose: 8000,
    withBorder: true,
    style: { whiteSpace: 'pre-line' },
    // End-to-end tests fail on any of these (e2e/clickthrough.spec.ts).
    'data-testid': 'error-notification',
    'data-error-code': err.code,
  });
  console.error(err);
}

/** Routes promises nobody awaited to `notifyError`. Returns the uninstaller. */
export function installUnhandledRejectionHandler(): () => void {
  const onRejection = (event: PromiseRejectionEvent) => {
    event.preventDefault();
    notifyError(event.reason);
  };
  window.addEventListener('unhandledrejection', onRejection);
  return () => window.removeEventListener('unhandledrejection', onRejection);
}
