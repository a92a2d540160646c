import { Center, Divider, Drawer, Loader, Stack, Tabs, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, type Member } from '../../api';
import { useFormat } from '../../i18n/format';
import { ConsentPanel } from '../consent/ConsentPanel';
import { EraseMemberModal } from '../gdpr/EraseMemberModal';
import { GdprSection } from '../gdpr/GdprSection';
import { ConfirmDeleteModal } from './ConfirmDeleteModal';
import { emptyForm, fromMember } from './formModel';
import { MemberForm } from './MemberForm';
import { MemberStory } from './MemberStory';
import { MergeNotice } from './MergeNotice';
import { useEditedRecord } from '../../components/useEditedRecord';

/** What the drawer shows: nothing, a new member, or the member with this id. */
export type Editing = null | { mode: 'new' } | { mode: 'edit'; id: string };

interface Props {
  editing: Editing;
  allTags: string[];
  onClose(): void;
  onOpenMember(id: string): void;
}

export function MemberDrawer({ editing, allTags, onClose, onOpenMember }: Props) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const api = useApi();
  const [confirming, setConfirming] = useState<Member | null>(null);
  const [erasing, setErasing] = useState<Member | null>(null);
  const editId = editing?.mode === 'edit' ? editing.id : null;

  const member = useEditedRecord(editId, api.members.get, onClose);
  const title = editing?.mode === 'edit' ? t('form.titleEdit') : t('form.titleNew');

  return (
    <>
      <Drawer
        opened={editing !== null}
        onClose={onClose}
        position="right"
        size="lg"
        title={title}
        closeOnEscape={confirming === null && erasing === null}
        aria-label={title}
      >
        {member && (
          <Text size="xs" c="dimmed" mb="md">
            {t('form.meta', {
              created: fmt.dateTime(member.createdAt),
              updated: fmt.dateTime(member.updatedAt),
            })}
          </Text>
        )}
        {editing?.mode === 'edit' && member && (
          <MergeNotice
            key={`merges-${member.id}`}
            memberId={member.id}
            onOpenMember={onOpenMember}
          />
        )}
        {editing?.mode === 'new' && (
          <MemberForm
            key="new"
            initial={emptyForm()}
            member={null}
            allTags={allTags}
            onSaved={onClose}
            onCancel={onClose}
            onOpenMember={onOpenMember}
          />
        )}
        {editing?.mode === 'edit' &&
          (member ? (
            // The story first: who the person is and what they did; the record to edit beside.
            // Both panels stay mounted, so an edit in progress survives a look at the story.
            <Tabs key={member.id} defaultValue="story" keepMounted>
              <Tabs.List mb="md">
                <Tabs.Tab value="story" data-testid="member-tab-story">
                  {t('story.tab')}
                </Tabs.Tab>
                <Tabs.Tab value="details" data-testid="member-tab-details">
                  {t('story.detailsTab')}
                </Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="story">
                <MemberStory memberId={member.id} />
              </Tabs.Panel>
              <Tabs.Panel value="details">
                <Stack gap="lg">
                  <MemberForm
                    key={member.id}
                    initial={fromMember(member)}
                    member={member}
                    allTags={allTags}
                    onSaved={onClose}
                    onCancel={onClose}
                    onDelete={() => setConfirming(member)}
                    onOpenMember={onOpenMember}
                  />
                  <Divider />
                  <ConsentPanel key={`consent-${member.id}`} memberId={member.id} />
                  <Divider />
                  <GdprSection member={member} onErase={() => setErasing(member)} />
                </Stack>
              </Tabs.Panel>
            </Tabs>
          ) : (
            <Center py="xl">
              <Loader size="sm" />
            </Center>
          ))}
      </Drawer>
      <ConfirmDeleteModal
        member={confirming}
        onClose={() => setConfirming(null)}
        onDeleted={() => {
          setConfirming(null);
          onClose();
        }}
      />
      <EraseMemberModal
        member={erasing}
        onClose={() => setErasing(null)}
        onErased={() => {
          setErasing(null);
          onClose();
        }}
      />
    </>
  );
}
