import { Badge, Group, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type ConsentEvent } from '../../api';
import { actorLabel } from '../../components/actorLabel';
import { useFormat } from '../../i18n/format';
import { methodLabel, proofText } from './consentText';
import type { ConsentRow } from './useConsent';
import { purposeName } from './purposeName';

/**
 * Every consent event of a member, newest first, with its proof as plain text and who recorded
 * it in people's words: "you (window)", "command line", a member's name rather than an id.
 */
export function ConsentHistory({ events, names }: { events: ConsentEvent[]; names: ConsentRow[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const people = useAuthorNames(events, (by) => actorLabel(t, by) !== by);
  const byLabel = (by: string) => people.get(by.trim()) ?? actorLabel(t, by);
  const nameOf = (id: string) => {
    const p = names.find((r) => r.purpose.id === id)?.purpose;
    return p ? purposeName(t, p) : id;
  };

  return (
    <Stack gap="xs" mt="xs" data-testid="consent-history">
      {events.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('consent.noHistory')}
        </Text>
      )}
      {events.map((e) => {
        const proof = proofText(t, e.proof);
        return (
          <div key={e.id} data-testid="consent-history-item">
            <Group gap="xs">
              <Badge size="sm" variant="dot" color={e.kind === 'granted' ? 'green' : 'red'}>
                {t(`consent.kind.${e.kind}`, { defaultValue: e.kind })}
              </Badge>
              <Text size="sm" fw={500}>
                {nameOf(e.purpose)}
              </Text>
              <Text size="sm" c="dimmed">
                {fmt.dateTime(e.at)}
              </Text>
            </Group>
            <Text size="xs" c="dimmed">
              {[
                methodLabel(t, e.method),
                e.by ? t('consent.by', { by: byLabel(e.by) }) : '',
                e.noticeVersion ? t('consent.noticeVersion', { version: e.noticeVersion }) : '',
              ]
                .filter(Boolean)
                .join(' · ')}
            </Text>
            {proof && (
              <Text size="xs" c="dimmed" style={{ wordBreak: 'break-word' }}>
                {t('consent.proofLabel', { proof })}
              </Text>
            )}
          </div>
        );
      })}
    </Stack>
  );
}

/**
 * The names of the members among the events' authors (someone who recorded their own consent is
 * stored by id). Authors that are not members (an actor, an import file) are left out and shown
 * by actorLabel.
 */
function useAuthorNames(
  events: ConsentEvent[],
  isActor: (by: string) => boolean,
): Map<string, string> {
  const api = useApi();
  const [names, setNames] = useState(new Map<string, string>());
  const key = [...new Set(events.map((e) => e.by.trim()))]
    .filter((by) => by !== '' && !isActor(by) && !/[.\s]/.test(by)) // a file name is no id
    .sort()
    .join('\n');
  useEffect(() => {
    if (key === '') return;
    let live = true;
    void Promise.all(
      key.split('\n').map((id) =>
        api.members.get(id).then(
          (m): [string, string] | null => {
            const name = m.name.trim() || m.emails[0] || '';
            return name ? [id, name] : null;
          },
          () => null, // not a member: shown as it is
        ),
      ),
    ).then((pairs) => live && setNames(new Map(pairs.filter((p) => p !== null))));
    return () => {
      live = false;
    };
  }, [api, key]);
  return names;
}
