import { Alert, Button, Group, Input, Stack, TagsInput, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError, useApi, type Member } from '../../api';
import { notifyError } from '../../components/notifyError';
import { displayName } from './displayName';
import { errorProp } from './errorProp';
import {
  errorsUnder,
  toErrorMap,
  toInput,
  toPatch,
  withoutErrorsUnder,
  type ErrorMap,
  type FormValues,
} from './formModel';
import { CustomFieldList, EmailList, HandleList } from './ListEditors';
import { validateForm } from './validation';

interface Props {
  initial: FormValues;
  /** The member being edited; null for a new one. */
  member: Member | null;
  allTags: string[];
  onSaved(member: Member): void;
  onCancel(): void;
  onDelete?(): void;
  onOpenMember(id: string): void;
}

/** Where each form section shows its errors; anything else goes to the summary. */
const PLACED = ['name', 'emails', 'tags', 'handles', 'customFields', 'notes'];

export function MemberForm({
  initial,
  member,
  allTags,
  onSaved,
  onCancel,
  onDelete,
  onOpenMember,
}: Props) {
  const { t } = useTranslation();
  const api = useApi();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<ErrorMap>({});
  const [saving, setSaving] = useState(false);

  /** Sets one section and forgets its errors: they described the old value. */
  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => withoutErrorsUnder(e, key));
  };

  const showErrors = (map: ErrorMap) => {
    setErrors(map);
    // After React paints the messages, take the user to the first one.
    requestAnimationFrame(() =>
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
    );
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local = validateForm(values);
    if (local.length > 0) {
      showErrors(toErrorMap(local));
      return;
    }
    const { input, toFormPath } = toInput(values);
    setSaving(true);
    try {
      let saved: Member;
      if (member) {
        const patch = toPatch(member, input);
        saved = Object.keys(patch).length > 0 ? await api.members.update(member.id, patch) : member;
      } else {
        saved = await api.members.create(input);
      }
      notifications.show({
        color: 'green',
        message: t(member ? 'form.saved' : 'form.created', { name: displayName(saved) }),
      });
      onSaved(saved);
    } catch (reason) {
      const err = toApiError(reason);
      if (err.fields) showErrors(toErrorMap(err.fields, toFormPath));
      else notifyError(err);
    } finally {
      setSaving(false);
    }
  };

  const unplaced = Object.entries(errors)
    .filter(
      ([path]) =>
        !PLACED.some((p) => path === p || path.startsWith(`${p}[`) || path.startsWith(`${p}.`)),
    )
    .flatMap(([, errs]) => errs);
  const hasErrors = Object.keys(errors).length > 0;

  return (
    <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate data-testid="member-form">
      <Stack gap="md">
        {hasErrors && (
          <Alert color="red" variant="light" py="xs" role="alert">
            {t('form.fixErrors')}
            {unplaced.length > 0 && (
              <Input.Error component="div">{errorProp(unplaced)}</Input.Error>
            )}
          </Alert>
        )}

        <TextInput
          label={t('form.name')}
          placeholder={t('form.namePlaceholder')}
          data-testid="member-name"
          data-autofocus
          value={values.name}
          onChange={(e) => set('name', e.currentTarget.value)}
          error={errorProp(errors.name ?? [])}
        />

        <Input.Wrapper
          label={t('form.emails')}
          description={t('form.emailsHint')}
          required
          error={errorProp(errors.emails ?? [])}
          inputWrapperOrder={['label', 'description', 'input', 'error']}
        >
          <EmailList
            rows={values.emails}
            errors={errors}
            onChange={(rows) => set('emails', rows)}
            onOpenMember={onOpenMember}
          />
        </Input.Wrapper>

        <TagsInput
          label={t('form.tags')}
          placeholder={t('form.tagsPlaceholder')}
          data-testid="member-tags"
          data={allTags}
          value={values.tags}
          onChange={(tags) => set('tags', tags)}
          splitChars={[',']}
          clearable
          comboboxProps={{ withinPortal: true, zIndex: 400 }}
          error={errorProp(errorsUnder(errors, 'tags'))}
        />

        <Input.Wrapper label={t('form.handles')} error={errorProp(errors.handles ?? [])}>
          <HandleList
            rows={values.handles}
            errors={errors}
            onChange={(rows) => set('handles', rows)}
          />
        </Input.Wrapper>

        <Input.Wrapper label={t('form.customFields')}>
          <CustomFieldList
            rows={values.customFields}
            errors={errors}
            onChange={(rows) => set('customFields', rows)}
          />
        </Input.Wrapper>

        <Textarea
          label={t('form.notes')}
          data-testid="member-notes"
          autosize
          minRows={3}
          maxRows={10}
          value={values.notes}
          onChange={(e) => set('notes', e.currentTarget.value)}
          error={errorProp(errors.notes ?? [])}
        />

        <Group justify="space-between" mt="sm">
          <div>
            {onDelete && (
              <Button variant="subtle" color="red" onClick={onDelete} data-testid="member-delete">
                {t('form.delete')}
              </Button>
            )}
          </div>
          <Group gap="sm">
            <Button variant="default" onClick={onCancel}>
              {t('form.cancel')}
            </Button>
            <Button type="submit" loading={saving} data-testid="member-save">
              {member ? t('form.save') : t('form.create')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
