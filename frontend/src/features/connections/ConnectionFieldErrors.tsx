import { useTranslation } from 'react-i18next';
import type { FieldError } from '../../api';
import { describeConnectionError } from './fieldLabels';
import type { Variant } from './platforms';

/** Messages for a Mantine `error` prop, each findable as `field-error-<path>`. */
export function ConnectionFieldErrors({
  errors,
  variant,
}: {
  errors: FieldError[];
  variant: Variant;
}) {
  const { t } = useTranslation();
  if (errors.length === 0) return null;
  return (
    <>
      {errors.map((e, i) => (
        <span key={`${e.field}-${e.code}-${i}`} style={{ display: 'block' }}>
          <span data-testid={`field-error-${e.field}`}>
            {describeConnectionError(t, variant, e)}
          </span>
        </span>
      ))}
    </>
  );
}
