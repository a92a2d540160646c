import {
  Alert,
  Button,
  Group,
  Menu,
  Modal,
  MultiSelect,
  Paper,
  Progress,
  Select,
  Stack,
  Tabs,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useApi,
  type FieldError,
  type Newsletter,
  type NewsletterInput,
  type NewsletterPlan,
  type Rendered,
  type SavedSegment,
} from '../../api';
import { fieldErrorsOrNotify } from '../../components/fieldErrors';
import { notifyError } from '../../components/notifyError';
import { SafeHtml } from '../../components/SafeHtml';
import { useFormat } from '../../i18n/format';
import { currentLanguage } from '../../i18n';
import { errorProp } from '../members/errorProp';
import { useMemberTags } from '../members/useMemberTags';
import { useMemberOptions, type MemberOption } from '../tasks/useMemberOptions';
import { mergeFieldChoices } from './mergeFields';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ExpiredNote } from '../../components/ExpiredNote';
import { SendCheck } from './SendCheck';
import { useSendJob } from './useSendJob';

/** Edits settle this long before the draft is saved and the preview refreshed. */
export const AUTOSAVE_MS = 600;

interface Props {
  /** null: a new newsletter. */
  newsletter: Newsletter | null;
  onSaved(n: Newsletter): void;
}

const toInput = (n: Newsletter | null): NewsletterInput => ({
  id: n?.id ?? '',
  subject: n?.subject ?? '',
  bodyMarkdown: n?.bodyMarkdown ?? '',
  lang: n?.lang ?? currentLanguage(),
  tags: n?.tags ?? [],
  search: n?.search ?? '',
  // A saved segment chosen from the command line (`newsletter create --segment`): kept as it is.
  segment: n?.segment ?? '',
});

/** Subject, Markdown body with merge fields, audience, live preview, plan, test and send. */
export function NewsletterComposer({ newsletter, onSaved }: Props) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const api = useApi();
  const tags = useMemberTags();
  const [segments, setSegments] = useState<SavedSegment[]>([]);
  useEffect(() => {
    let live = true;
    api.segments.list().then((v) => live && setSegments(v), notifyError);
    return () => {
      live = false;
    };
  }, [api]);
  const [values, setValues] = useState<NewsletterInput>(() => toInput(newsletter));
  const [stored, setStored] = useState<Newsletter | null>(newsletter);
  const [errors, setErrors] = useState<Record<string, FieldError[]>>({});
  const [plan, setPlan] = useState<NewsletterPlan | null>(null);
  const [preview, setPreview] = useState<Rendered | null>(null);
  const [previewMember, setPreviewMember] = useState<MemberOption | null>(null);
  const [memberSearch, setMemberSearch] = useState('');
  const [reviewing, setReviewing] = useState(false);
  const [testTo, setTestTo] = useState('');
  const [busy, setBusy] = useState<null | 'save' | 'review' | 'send' | 'test' | 'resend'>(null);
  const [confirmResend, setConfirmResend] = useState(false);
  /** Edited since the last save. */
  const dirty = useRef(false);
  const [debounced] = useDebouncedValue(values, AUTOSAVE_MS);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const saving = useRef<Promise<Newsletter | null> | null>(null);
  const memberOptions = useMemberOptions(memberSearch, previewMember);
  const job = useSendJob((p) => {
    if (p.error) notifyError(p.error);
    else
      notifications.show({
        color: p.failedPerm + p.failedTemp > 0 ? 'yellow' : 'green',
        message: t('newsletter.sentDone', { sent: p.sent, failed: p.failedPerm + p.failedTemp }),
      });
    void api.newsletters.get(values.id).then((n) => {
      setStored(n);
      onSaved(n);
    }, notifyError);
  });
  const editable = (stored?.status ?? 'draft') === 'draft' && !job.running && !job.done;

  const set = <K extends keyof NewsletterInput>(key: K, value: NewsletterInput[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => {
      const { [key]: _gone, ...rest } = e;
      return rest;
    });
    dirty.current = true;
  };

  /** Saves the draft (one save at a time) and refreshes the plan; null when it failed. */
  const save = useCallback(
    async (input: NewsletterInput): Promise<Newsletter | null> => {
      await saving.current;
      const run = (async () => {
        if (input.subject.trim() === '') {
          setErrors({ subject: [{ field: 'subject', code: 'required' }] });
          return null;
        }
        try {
          const saved = await api.newsletters.save(input);
          setStored(saved);
          setValues((v) => (v.id === saved.id ? v : { ...v, id: saved.id }));
          setErrors({});
          onSaved(saved);
          setPlan(await api.newsletters.plan(saved.id));
          return saved;
        } catch (reason) {
          setErrors(fieldErrorsOrNotify(reason));
          return null;
        }
      })();
      saving.current = run;
      return run;
    },
    [api, onSaved],
  );

  // Autosave a draft once typing settles.
  useEffect(() => {
    if (!dirty.current || !editable || debounced.subject.trim() === '') return;
    dirty.current = false;
    void save(debounced);
  }, [debounced]); // eslint-disable-line react-hooks/exhaustive-deps

  // The plan of an existing newsletter, at once (later ones come with each save).
  const [openedId] = useState(newsletter?.id);
  useEffect(() => {
    if (!openedId) return;
    let live = true;
    api.newsletters.plan(openedId).then((p) => live && setPlan(p), notifyError);
    return () => {
      live = false;
    };
  }, [api, openedId]);

  // Preview after every save, and when the preview member changes.
  const updatedAt = stored?.updatedAt;
  const storedId = stored?.id;
  useEffect(() => {
    if (!storedId) return;
    let live = true;
    api.newsletters
      .preview(storedId, previewMember?.value ?? '')
      .then((r) => live && setPreview(r), notifyError);
    return () => {
      live = false;
    };
  }, [api, storedId, updatedAt, previewMember]);

  const insertField = (field: string) => {
    const el = bodyRef.current;
    const body = values.bodyMarkdown;
    const start = el?.selectionStart ?? body.length;
    const end = el?.selectionEnd ?? body.length;
    set('bodyMarkdown', body.slice(0, start) + field + body.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + field.length, start + field.length);
    });
  };

  const review = async () => {
    setBusy('review');
    const saved = await save(values);
    dirty.current = false;
    if (saved) setReviewing(true);
    setBusy(null);
  };

  const send = async () => {
    if (!stored) return;
    setBusy('send');
    try {
      await job.start(stored.id);
      setReviewing(false);
    } catch (reason) {
      notifyError(reason);
    } finally {
      setBusy(null);
    }
  };

  /** Sends again to the recipients an interrupted send left uncertain, once confirmed. */
  const resendUncertain = async () => {
    if (!stored) return;
    setBusy('resend');
    try {
      await job.start(stored.id, true);
      setConfirmResend(false);
    } catch (reason) {
      notifyError(reason);
    } finally {
      setBusy(null);
    }
  };

  const testSend = async () => {
    setBusy('test');
    try {
      const saved = editable ? await save(values) : stored;
      if (!saved) return;
      await api.newsletters.testSend(saved.id, testTo.trim());
      notifications.show({
        color: 'green',
        message: t('newsletter.testSent', { to: testTo.trim() }),
      });
      setErrors({});
    } catch (reason) {
      setErrors(fieldErrorsOrNotify(reason));
    } finally {
      setBusy(null);
    }
  };

  const p = job.progress;
  const failed = p ? p.failedPerm + p.failedTemp : 0;
  return (
    <Stack gap="md" data-testid="newsletter-composer">
      {stored && stored.status !== 'draft' && !job.running && (
        <Alert
          color={stored.status === 'sent' ? 'green' : 'blue'}
          variant="light"
          data-testid="newsletter-status"
        >
          {stored.status === 'sent'
            ? t('newsletter.wasSent', {
                date: stored.sentAt ? fmt.dateTime(stored.sentAt) : '',
                sent: stored.counts.sent,
                failed: stored.counts.failedPerm + stored.counts.failedTemp,
              })
            : t('newsletter.isSending')}
        </Alert>
      )}
      {stored && stored.counts.uncertain > 0 && !job.running && (
        <Alert color="yellow" variant="light" data-testid="newsletter-uncertain">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{t('newsletter.uncertain', { count: stored.counts.uncertain })}</Text>
            <Button
              size="compact-sm"
              variant="default"
              onClick={() => setConfirmResend(true)}
              data-testid="newsletter-resend-uncertain"
            >
              {t('newsletter.resendUncertain', { count: stored.counts.uncertain })}
            </Button>
          </Stack>
        </Alert>
      )}
      <ConfirmModal
        opened={confirmResend}
        onClose={() => setConfirmResend(false)}
        title={t('newsletter.resendUncertainTitle')}
        body={t('newsletter.resendUncertainBody', { count: stored?.counts.uncertain ?? 0 })}
        confirmLabel={t('newsletter.resendUncertain', { count: stored?.counts.uncertain ?? 0 })}
        busy={busy === 'resend'}
        onConfirm={() => void resendUncertain()}
        testId="newsletter-resend-uncertain-confirm"
      />
      <TextInput
        label={t('newsletter.subject')}
        required
        data-testid="newsletter-subject"
        readOnly={!editable}
        value={values.subject}
        onChange={(e) => set('subject', e.currentTarget.value)}
        error={errorProp(errors.subject ?? [])}
      />
      <div>
        <Group gap={4} mb={4} data-testid="newsletter-merge-fields">
          <Menu position="bottom-start" withinPortal disabled={!editable}>
            <Menu.Target>
              <Button
                size="compact-xs"
                variant="light"
                disabled={!editable}
                data-testid="newsletter-insert-field"
              >
                {t('newsletter.insertField')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown data-testid="newsletter-insert-menu">
              {mergeFieldChoices(t).map((f) => (
                <Menu.Item
                  key={f.id}
                  onClick={() => insertField(f.tag)}
                  data-testid={`newsletter-insert-${f.id}`}
                  rightSection={
                    <Text size="xs" c="dimmed" ff="monospace">
                      {f.tag}
                    </Text>
                  }
                >
                  {f.label}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        </Group>
        <Textarea
          ref={bodyRef}
          aria-label={t('newsletter.body')}
          description={t('newsletter.bodyHint')}
          autosize
          minRows={8}
          maxRows={20}
          readOnly={!editable}
          data-testid="newsletter-body"
          value={values.bodyMarkdown}
          onChange={(e) => set('bodyMarkdown', e.currentTarget.value)}
          error={errorProp(errors.bodyMarkdown ?? [])}
        />
      </div>

      <Paper withBorder p="sm" radius="md">
        <Title order={4} size="h6" mb="xs">
          {t('newsletter.audience')}
        </Title>
        <Group grow align="flex-start">
          <MultiSelect
            label={t('newsletter.tags')}
            placeholder={values.tags.length === 0 ? t('newsletter.allMembers') : undefined}
            data-testid="newsletter-tags"
            searchable
            disabled={!editable}
            data={tags.map((x) => x.tag)}
            value={values.tags}
            onChange={(v) => set('tags', v)}
            error={errorProp(errors.tags ?? [])}
          />
          <TextInput
            label={t('newsletter.search')}
            data-testid="newsletter-search"
            disabled={!editable}
            value={values.search}
            onChange={(e) => set('search', e.currentTarget.value)}
            error={errorProp(errors.search ?? [])}
          />
          <Select
            label={t('segments.audience')}
            description={values.segment !== '' ? t('segments.audienceHelp') : undefined}
            placeholder={t('segments.audienceNone')}
            data-testid="newsletter-segment"
            disabled={!editable}
            clearable
            searchable
            data={[
              ...segments.map((x) => ({
                value: x.segment.id,
                label: `${x.segment.name} (${fmt.number(x.count)})`,
              })),
              // A segment deleted since it was chosen: still named by its id, to be changed.
              ...(values.segment !== '' && !segments.some((x) => x.segment.id === values.segment)
                ? [{ value: values.segment, label: values.segment }]
                : []),
            ]}
            value={values.segment === '' ? null : values.segment}
            onChange={(v) => set('segment', v ?? '')}
            error={errorProp(errors.segment ?? [])}
          />
        </Group>
        <Text size="sm" mt="xs" data-testid="newsletter-audience" aria-live="polite">
          {plan
            ? t('newsletter.audienceCount', {
                count: plan.recipients,
                excluded: plan.excludedNoConsent + plan.excludedSuppressed + plan.excludedNoEmail,
              })
            : t('newsletter.audienceUnknown')}
        </Text>
        {plan && <ExpiredNote expired={plan.expired} testId="newsletter-audience-expired" />}
      </Paper>

      <Paper withBorder p="sm" radius="md">
        <Group justify="space-between" mb="xs">
          <Title order={4} size="h6">
            {t('newsletter.preview')}
          </Title>
          <Select
            w={260}
            size="xs"
            aria-label={t('newsletter.previewAs')}
            placeholder={t('newsletter.previewSample')}
            searchable
            clearable
            data={memberOptions}
            value={previewMember?.value ?? null}
            searchValue={memberSearch}
            onSearchChange={setMemberSearch}
            onChange={(_, o) => setPreviewMember(o ? { value: o.value, label: o.label } : null)}
            data-testid="newsletter-preview-as"
          />
        </Group>
        {preview ? (
          <Tabs defaultValue="html">
            <Tabs.List>
              <Tabs.Tab value="html">{t('newsletter.formatted')}</Tabs.Tab>
              <Tabs.Tab value="text">{t('newsletter.plainText')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="html" pt="xs">
              <Text fw={600} size="sm" mb="xs">
                {preview.subject}
              </Text>
              <SafeHtml html={preview.html} testId="newsletter-preview-html" />
              <Text size="xs" c="dimmed" mt="xs">
                {t('newsletter.previewNote')}
              </Text>
            </Tabs.Panel>
            <Tabs.Panel value="text" pt="xs">
              <Text
                component="pre"
                size="sm"
                style={{ whiteSpace: 'pre-wrap' }}
                data-testid="newsletter-preview-text"
              >
                {preview.text}
              </Text>
            </Tabs.Panel>
          </Tabs>
        ) : (
          <Text size="sm" c="dimmed">
            {t('newsletter.previewPending')}
          </Text>
        )}
      </Paper>

      <Group align="flex-end" gap="sm">
        <TextInput
          style={{ flex: '1 1 240px' }}
          type="email"
          label={t('newsletter.testTo')}
          data-testid="newsletter-test-to"
          value={testTo}
          onChange={(e) => setTestTo(e.currentTarget.value)}
          error={errorProp(errors.to ?? [])}
        />
        <Button
          variant="default"
          loading={busy === 'test'}
          disabled={testTo.trim() === ''}
          onClick={() => void testSend()}
          data-testid="newsletter-test-send"
        >
          {t('newsletter.testSend')}
        </Button>
      </Group>

      {(job.running || job.done) && (
        <Paper withBorder p="sm" radius="md" data-testid="newsletter-progress">
          <Group justify="space-between" mb={4}>
            <Text size="sm">
              {job.done
                ? t('newsletter.sentDone', { sent: job.done.sent, failed })
                : t('newsletter.sending', { done: p?.done ?? 0, total: p?.total ?? 0, failed })}
            </Text>
            {job.running && (
              <Button
                size="compact-sm"
                variant="default"
                onClick={() => void job.cancel().catch(notifyError)}
              >
                {t('newsletter.cancel')}
              </Button>
            )}
          </Group>
          <Progress
            value={p && p.total > 0 ? (100 * p.done) / p.total : job.done ? 100 : 0}
            animated={job.running}
            aria-label={t('newsletter.progressLabel')}
          />
        </Paper>
      )}

      {editable && (
        <Group justify="flex-end" gap="sm">
          <Button
            variant="default"
            loading={busy === 'save'}
            onClick={() => {
              setBusy('save');
              dirty.current = false;
              void save(values).finally(() => setBusy(null));
            }}
            data-testid="newsletter-save"
          >
            {t('newsletter.saveDraft')}
          </Button>
          <Button
            loading={busy === 'review'}
            onClick={() => void review()}
            data-testid="newsletter-review"
          >
            {t('newsletter.review')}
          </Button>
        </Group>
      )}

      <Modal
        opened={reviewing}
        onClose={() => setReviewing(false)}
        title={t('newsletter.planTitle')}
        centered
      >
        {plan && (
          <Stack gap="sm" data-testid="newsletter-plan">
            <Text>{t('newsletter.planIntro', { subject: values.subject })}</Text>
            <SendCheck plan={plan} />
            {plan.sample.length > 0 && (
              <Text size="xs" c="dimmed">
                {t('newsletter.sample', {
                  names: plan.sample.map((r) => r.name || r.email).join(', '),
                })}
              </Text>
            )}
            <Group justify="flex-end" gap="sm" mt="sm">
              <Button variant="default" onClick={() => setReviewing(false)} data-autofocus>
                {t('form.cancel')}
              </Button>
              <Button
                loading={busy === 'send'}
                disabled={plan.recipients === 0}
                onClick={() => void send()}
                data-testid="newsletter-send"
              >
                {t('newsletter.confirmSend', { count: plan.recipients })}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
