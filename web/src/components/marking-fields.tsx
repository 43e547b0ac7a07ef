// The marking of a new record: a classification up to the user's clearance and the audiences it
// is releasable to, with the chip it will carry. Shared by the forms that create records.
import { useId } from 'react';
import { useTaxonomies } from '../app-context.js';
import type { ClassificationCode, Marking, Me } from '../contract.js';
import { releasabilityError } from '../factor-rules.js';
import { t } from '../i18n.js';
import { codeEntries, codeLabel } from '../taxonomy-labels.js';
import { isClassificationAtMost } from '../../../src/domain/taxonomy/index.js';
import { MarkingChip } from './marking-chip.js';

/**
 * A fieldset (`<prefix>-classification`, `<prefix>-release-to-<CODE>` test ids).
 *
 * @example <MarkingFields me={me} marking={m} onChange={setM} legend={t('screening.marking')} testPrefix="screening" />
 */
export function MarkingFields({
  me,
  marking,
  onChange,
  legend,
  testPrefix,
}: {
  me: Me;
  marking: Marking;
  onChange: (marking: Marking) => void;
  legend: string;
  testPrefix: string;
}) {
  const id = useId();
  const taxonomies = useTaxonomies();
  const levels = codeEntries(taxonomies, 'classification').filter((e) =>
    isClassificationAtMost(e.code as ClassificationCode, me.clearance),
  );
  const audiences = codeEntries(taxonomies, 'releasability');
  const error = releasabilityError(marking.classification, marking.releasability, me);
  return (
    <fieldset className="field-group screening-marking">
      <legend>{legend}</legend>
      <div className="field field-inline">
        <label htmlFor={`${id}-c`}>{t('factorForm.classification')}</label>
        <select
          id={`${id}-c`}
          className="input input-small"
          value={marking.classification}
          onChange={(event) =>
            onChange({ ...marking, classification: event.target.value as ClassificationCode })
          }
          data-testid={`${testPrefix}-classification`}
        >
          {levels.map((e) => (
            <option key={e.code} value={e.code}>
              {e.label}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="check-group">
        <legend>{t('factorForm.releasability')}</legend>
        <div className="check-grid">
          {audiences.map((e) => {
            const code = e.code as Marking['releasability'][number];
            return (
              <label key={e.code} className="check" title={e.label}>
                <input
                  type="checkbox"
                  checked={marking.releasability.includes(code)}
                  onChange={(event) => {
                    const next = event.target.checked
                      ? [...marking.releasability, code]
                      : marking.releasability.filter((c) => c !== code);
                    onChange({
                      ...marking,
                      releasability: audiences
                        .map((a) => a.code)
                        .filter((c) => next.includes(c as typeof code)) as Marking['releasability'],
                    });
                  }}
                  data-testid={`${testPrefix}-release-to-${e.code}`}
                />
                <span>{e.code}</span>
              </label>
            );
          })}
        </div>
      </fieldset>
      {error ? (
        <p className="field-error" data-testid="field-error">
          {error}
        </p>
      ) : null}
      <p className="field-hint">
        {t('screening.markingHint', {
          clearance: codeLabel(taxonomies, 'classification', me.clearance),
        })}
      </p>
      <MarkingChip marking={marking} exercise={false} />
    </fieldset>
  );
}
