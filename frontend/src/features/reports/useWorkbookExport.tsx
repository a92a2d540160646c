import { Code, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifyError } from '../../components/notifyError';

/**
 * Runs a workbook export (a native save dialog first) with a busy flag; tells where the file went,
 * and says nothing when the dialog was cancelled (an empty path).
 */
export function useWorkbookExport() {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async (exporter: () => Promise<string>) => {
      setBusy(true);
      try {
        const path = await exporter();
        if (path)
          notifications.show({
            color: 'green',
            title: t('reports.saved'),
            message: (
              <Text size="sm" data-testid="report-saved-path">
                <Code>{path}</Code>
              </Text>
            ),
          });
      } catch (reason) {
        notifyError(reason);
      } finally {
        setBusy(false);
      }
    },
    [t],
  );
  return { busy, run };
}
