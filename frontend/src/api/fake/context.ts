import { ApiError, type FieldError } from '../errors';
import type { AuditEntry, Member } from '../types';

/** What the fake's domain parts share: the clock, call settling, events, members and the audit log. */
export interface FakeContext {
  now(): Date;
  /** Runs `work` like a Go call: later, cloned, rejecting with an injected failure first. */
  settle<T>(method: string, work: () => T): Promise<T>;
  /** Emits an event to subscribers, after the current call has resolved. */
  emit(event: string, payload: unknown): void;
  on(event: string, callback: (payload: unknown) => void): () => void;
  members: {
    find(id: string): Member | undefined;
    require(id: string): Member;
    all(): Member[];
    /** Stores without validation (imports and anonymising validate themselves). */
    put(member: Member): void;
    remove(id: string): void;
    /** Emits `members:changed`. */
    changed(ids: string[]): void;
    newId(): string;
  };
  audit(action: string, memberId: string, details: string): void;
  auditLog(): AuditEntry[];
}

/** Who the fake records as having acted: the window, as the Go side's window services do. */
export const FAKE_ACTOR = 'window';

export const invalid = (fields: FieldError[], code = 'invalid_input', message = 'invalid input') =>
  new ApiError({ kind: 'invalid', code, message, fields });

export const notFound = (code: string, what: string) =>
  new ApiError({ kind: 'not_found', code, message: `${what} not found` });

/** `iso` plus `months` calendar months. */
export function addMonths(iso: string, months: number): Date {
  const d = new Date(iso);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/** A tiny event bus with the delivery timing of Wails events (never synchronous). */
export function createBus() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  return {
    emit(event: string, payload: unknown) {
      setTimeout(() => listeners.get(event)?.forEach((l) => l(structuredClone(payload))), 0);
    },
    on(event: string, callback: (payload: unknown) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(callback);
      return () => {
        set.delete(callback);
      };
    },
  };
}
