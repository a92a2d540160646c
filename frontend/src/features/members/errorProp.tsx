import type { ReactNode } from 'react';
import type { FieldError } from '../../api';
import { FieldErrors } from './FieldErrors';

/** For a Mantine `error` prop: the messages, or nothing when there are none. */
export function errorProp(errors: FieldError[], onOpenMember?: (id: string) => void): ReactNode {
  return errors.length > 0 ? (
    <FieldErrors errors={errors} onOpenMember={onOpenMember} />
  ) : undefined;
}
