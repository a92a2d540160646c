import { Anchor } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { describeFieldError, type FieldError } from '../../api';

interface Props {
  errors: FieldError[];
  /** Offered on `unique` errors, to jump to the member who has the address. */
  onOpenMember?(id: string): void;
}

/** Translated messages, one per error, each findable as `field-error-<path>`. */
export function FieldErrors({ errors, onOpenMember }: Props) {
  const { t } = useTranslation();
  return (
    <>
      {errors.map((e, i) => {
        const other = e.code === 'unique' ? e.params?.member : undefined;
        return (
          <span key={`${e.field}-${e.code}-${i}`} style={{ display: 'block' }}>
            <span data-testid={`field-error-${e.field}`}>{describeFieldError(t, e)}</span>
            {other && onOpenMember && (
              <>
                {' '}
                <Anchor
                  component="button"
                  type="button"
                  size="xs"
                  onClick={() => onOpenMember(other)}
                >
                  {t('form.openOther')}
                </Anchor>
              </>
            )}
          </span>
        );
      })}
    </>
  );
}
