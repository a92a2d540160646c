import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  Modal,
  Progress,
  Select,
  Stack,
  Stepper,
  Text,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type ImportPreview, type ImportRequest } from '../../api';
import { notifyError } from '../../components/notifyError';
import { delimiterLabel, fieldGroup, fieldLabel } from './importText';
import { ImportSummaryView } from './ImportSummaryView';
import { MappingTable } from './MappingTable';
import { useImportJob, type ImportJob } from './useImportJob';

type Stage = 'choose' | 'map' | 'check' | 'import' | 'done';
const STAGES: Stage[] = ['choose', 'map', 'check', 'import', 'done'];

const mappingOf = (p: ImportPreview) =>
  Object.fromEntries(p.columns.map((c) => [c.header, c.field]));

/** Targets that take one column only: mapping two columns to one of them is probably a mistake. */
const isSingle = (field: string) => field !== 'ignore' && fieldGroup(field) !== 'custom';

/**
 * Import members from a CSV or XLSX file: choose it, map its columns, check with
 * a dry run, import with progress and cancel, then review what was rejected.
 */
export function ImportWizard({ onClose }: { onClose(): void }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [stage, setStage] = useState<Stage>('choose');
  // An import is not a sign-up: new members enter automations only when asked.
  const [enrol, setEnrol] = useState(false);
  const [path, setPath] = useState('');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const dryRun = useImportJob();
  const real = useImportJob();

  const request = (over: Partial<ImportRequest> = {}): ImportRequest => ({
    path,
    sheet: preview?.sheet ?? '',
    mapping,
    dryRun: true,
    enrol,
    // Dates the file leaves ambiguous (03/04/2024) are read day first in French.
    lang: i18n.resolvedLanguage ?? i18n.language,
    ...over,
  });

  const guard = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (reason) {
      notifyError(reason);
    } finally {
      setBusy(false);
    }
  };

  const load = async (file: string, sheet: string) => {
    const p = await api.imports.preview({ path: file, sheet, mapping: {}, dryRun: true });
    setPath(file);
    setPreview(p);
    setMapping(mappingOf(p));
    setStage('map');
  };

  const choose = () =>
    guard(async () => {
      const file = await api.imports.chooseFile();
      if (file) await load(file, '');
    });

  const check = () =>
    guard(async () => {
      setStage('check');
      await dryRun.start(request({ dryRun: true })).catch((reason: unknown) => {
        setStage('map');
        throw reason;
      });
    });

  const importNow = () =>
    guard(async () => {
      setStage('import');
      await real.start(request({ dryRun: false })).catch((reason: unknown) => {
        setStage('check');
        throw reason;
      });
    });

  const saveRejected = () =>
    guard(async () => {
      if (!real.jobId) return;
      const saved = await api.imports.saveRejected(real.jobId);
      if (saved)
        notifications.show({ color: 'green', message: t('import.rejectedSaved', { path: saved }) });
    });

  // The real import's summary moves the wizard to its last step.
  const current: Stage = stage === 'import' && real.summary ? 'done' : stage;
  const locked = current === 'import';

  const close = () => {
    if (locked) return;
    if (dryRun.running) void dryRun.cancel().catch(() => {});
    onClose();
  };

  const mapped = Object.values(mapping);
  const noKey = !mapped.some((f) => f === 'email' || f.startsWith('handle:'));
  const twice = [...new Set(mapped.filter((f, i) => isSingle(f) && mapped.indexOf(f) !== i))];

  return (
    <Modal
      opened
      onClose={close}
      fullScreen
      title={t('import.title')}
      closeOnEscape={!locked}
      withCloseButton={!locked}
    >
      <Stack gap="lg" data-testid="import-wizard">
        <Stepper active={STAGES.indexOf(current)} size="sm" allowNextStepsSelect={false}>
          {STAGES.map((s) => (
            <Stepper.Step key={s} label={t(`import.step.${s}`)} />
          ))}
        </Stepper>

        {current === 'choose' && (
          <Stack align="flex-start" gap="sm">
            <Text>{t('import.chooseHelp')}</Text>
            <Button onClick={() => void choose()} loading={busy} data-testid="import-choose">
              {t('import.choose')}
            </Button>
          </Stack>
        )}

        {current === 'map' && preview && (
          <Stack gap="sm">
            <FileFacts path={path} preview={preview} />
            {preview.format === 'xlsx' && preview.sheets.length > 1 && (
              <Select
                label={t('import.sheet')}
                data-testid="import-sheet"
                data={preview.sheets}
                value={preview.sheet}
                allowDeselect={false}
                maw={320}
                comboboxProps={{ zIndex: 400 }}
                onChange={(sheet) => sheet && void guard(() => load(path, sheet))}
              />
            )}
            <Text size="sm" c="dimmed">
              {t('import.mapHelp')}
            </Text>
            <MappingTable
              preview={preview}
              mapping={mapping}
              onChange={(header, field) => setMapping((m) => ({ ...m, [header]: field }))}
            />
            {noKey && (
              <Alert color="yellow" variant="light" data-testid="import-no-key">
                {t('import.noKey')}
              </Alert>
            )}
            {twice.length > 0 && (
              <Alert color="yellow" variant="light">
                {t('import.mappedTwice', {
                  fields: twice.map((f) => fieldLabel(t, f)).join(', '),
                })}
              </Alert>
            )}
            <Group justify="space-between">
              <Button variant="default" onClick={() => setStage('choose')}>
                {t('import.back')}
              </Button>
              <Button onClick={() => void check()} loading={busy} data-testid="import-dry-run">
                {t('import.dryRun')}
              </Button>
            </Group>
          </Stack>
        )}

        {current === 'check' && (
          <Stack gap="sm">
            {dryRun.summary ? (
              <>
                <Alert color="blue" variant="light">
                  {t('import.dryRunNote')}
                </Alert>
                <ImportSummaryView summary={dryRun.summary} />
                <Checkbox
                  checked={enrol}
                  onChange={(e) => setEnrol(e.currentTarget.checked)}
                  label={t('import.enrol')}
                  description={t('import.enrolHelp')}
                  data-testid="import-enrol"
                />
                <Group justify="space-between">
                  <Button variant="default" onClick={() => setStage('map')}>
                    {t('import.backToColumns')}
                  </Button>
                  <Button
                    onClick={() => void importNow()}
                    loading={busy}
                    disabled={dryRun.summary.created + dryRun.summary.updated === 0}
                    data-testid="import-start"
                  >
                    {t('import.start')}
                  </Button>
                </Group>
              </>
            ) : (
              <JobProgress
                job={dryRun}
                label={t('import.checking')}
                testId="import-dry-run-progress"
              />
            )}
          </Stack>
        )}

        {current === 'import' && (
          <Stack gap="sm">
            <JobProgress job={real} label={t('import.importing')} testId="import-progress" />
            <Group>
              <Button
                color="red"
                variant="light"
                onClick={() => void guard(real.cancel)}
                disabled={!real.jobId}
                data-testid="import-cancel"
              >
                {t('import.cancel')}
              </Button>
            </Group>
          </Stack>
        )}

        {current === 'done' && real.summary && (
          <Stack gap="sm">
            {!real.summary.cancelled && (
              <Alert color="green" variant="light">
                {t('import.doneNote')}
              </Alert>
            )}
            <ImportSummaryView summary={real.summary} />
            <Group justify="space-between">
              <div>
                {real.summary.rejected > 0 && (
                  <Button
                    variant="default"
                    onClick={() => void saveRejected()}
                    loading={busy}
                    data-testid="import-save-rejected"
                  >
                    {t('import.saveRejected')}
                  </Button>
                )}
              </div>
              <Button onClick={onClose} data-testid="import-close">
                {t('import.close')}
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
    </Modal>
  );
}

function FileFacts({ path, preview }: { path: string; preview: ImportPreview }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" data-testid="import-facts">
      <Text size="sm" fw={600} truncate maw={420} title={path}>
        {path.split(/[\\/]/).pop()}
      </Text>
      <Badge variant="light">
        {t(`import.source.${preview.source}`, { defaultValue: preview.source })}
      </Badge>
      <Badge variant="outline" color="gray">
        {preview.format.toUpperCase()}
      </Badge>
      {preview.encoding && (
        <Badge variant="outline" color="gray">
          {preview.encoding}
        </Badge>
      )}
      {preview.delimiter && (
        <Badge variant="outline" color="gray">
          {t('import.delimiterIs', { name: delimiterLabel(t, preview.delimiter) })}
        </Badge>
      )}
    </Group>
  );
}

function JobProgress({ job, label, testId }: { job: ImportJob; label: string; testId: string }) {
  const { t } = useTranslation();
  const fraction = job.progress?.fraction ?? 0;
  return (
    <Stack gap={6}>
      <Group gap="xs">
        <Loader size="xs" />
        <Text size="sm">{label}</Text>
      </Group>
      <Progress
        value={Math.round(Math.min(1, Math.max(0, fraction)) * 100)}
        animated
        size="lg"
        data-testid={testId}
        aria-label={label}
      />
      <Text size="xs" c="dimmed" aria-live="polite">
        {t('import.rowsRead', { count: job.progress?.rows ?? 0 })}
      </Text>
    </Stack>
  );
}
