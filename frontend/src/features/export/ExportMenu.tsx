import { Button, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type ExportFormat } from '../../api';
import { notifyError } from '../../components/notifyError';
import { currentLanguage } from '../../i18n';

interface Props {
  /** The members list's current filter: the export contains what the list shows. */
  search: string;
  tag: string;
  /** The saved segment the list shows (its id), or '' for every member. */
  segment?: string;
}

/** Exports the filtered members to XLSX or CSV through the native save dialog. */
export function ExportMenu({ search, tag, segment = '' }: Props) {
  const { t } = useTranslation();
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const filtered = search !== '' || tag !== '' || segment !== '';

  const run = async (format: ExportFormat) => {
    setBusy(true);
    try {
      const path = await api.exports.export({
        format,
        search,
        tag,
        ...(segment !== '' ? { segment } : {}),
        lang: currentLanguage(),
      });
      if (path) notifications.show({ color: 'green', message: t('export.done', { path }) });
    } catch (reason) {
      notifyError(reason);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Menu position="bottom-end" withinPortal zIndex={300}>
      <Menu.Target>
        <Button variant="default" loading={busy} data-testid="members-export">
          {t('export.button')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t(filtered ? 'export.filtered' : 'export.all')}</Menu.Label>
        <Menu.Item onClick={() => void run('xlsx')} data-testid="export-xlsx">
          {t('export.xlsx')}
        </Menu.Item>
        <Menu.Item onClick={() => void run('csv')} data-testid="export-csv">
          {t('export.csv')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
