import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../api';
import i18n from '../../i18n';
import { auditDetails } from './auditText';

// Entries as backend/imports, backend/exports and backend/connections write them (params only).
const imported: AuditEntry = {
  id: 'a1',
  at: '2026-12-01T10:00:00Z',
  actor: 'cli',
  action: 'members_imported',
  memberId: '',
  details: '',
  params: { file: 'members.csv', created: '3142', updated: '0', unchanged: '2', rejected: '1' },
};
const exported: AuditEntry = {
  ...imported,
  action: 'members_exported',
  params: { count: '1', file: 'membres.xlsx' },
};
const updated: AuditEntry = {
  ...imported,
  action: 'connection_updated',
  params: {
    platform: 'discord',
    name: 'Serveur',
    fields: 'name, paused',
    outcome: 'undone_secret_not_saved',
  },
};

describe('auditDetails', () => {
  it('words an import in French with French numbers, never the English Go used to write', async () => {
    await i18n.changeLanguage('fr');
    const t = i18n.t.bind(i18n);
    const text = auditDetails(t, imported);
    expect(text).toBe('members.csv : 3\u202f142 créés, 0 mis à jour, 2 inchangés, 1 rejetés');
    expect(auditDetails(t, exported)).toBe('1 membre → membres.xlsx');
    expect(auditDetails(t, updated)).toBe(
      'Discord « Serveur » : nom, mise en pause ou reprise (annulé : le secret n’a pas pu être enregistré)',
    );
  });

  it('words them in English', async () => {
    await i18n.changeLanguage('en');
    const t = i18n.t.bind(i18n);
    expect(auditDetails(t, imported)).toBe(
      'members.csv: 3,142 created, 0 updated, 2 unchanged, 1 rejected',
    );
    expect(auditDetails(t, { ...exported, params: { count: '2', file: 'm.csv' } })).toBe(
      '2 members → m.csv',
    );
  });

  it('shows an older entry’s free text as it was', async () => {
    await i18n.changeLanguage('fr');
    const old = { ...imported, params: undefined, details: 'sync:discord' };
    expect(auditDetails(i18n.t.bind(i18n), old)).toBe('sync:discord');
  });
});
