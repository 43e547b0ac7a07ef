// The form for a new human security factor. It checks each field as the user types (once the
// field has been left, or after a first try to save), with the API's own limits and marking rules
// (factor-rules.ts), and shows the server's field errors on the fields they name. The draft lives
// in the page's state, not here, so closing the form, changing tab or renewing an expired session
// does not lose it; nothing is written to the browser's storage.
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useTaxonomies } from '../app-context.js';
import { ApiProblem, apiSend, toProblem } from '../api.js';
import type { AreaSummary, Factor, Me, Problem, RegionProperties } from '../contract.js';
import {
  factorBody,
  factorFields,
  factorLimits,
  fieldOfPath,
  validateFactor,
} from '../factor-rules.js';
import type { FactorDraft, FactorErrors, FactorField } from '../factor-rules.js';
import { formatNumber, t } from '../i18n.js';
import { isClassificationAtMost } from '../../../src/domain/taxonomy/index.js';
import type { ClassificationCode } from '../contract.js';
import { codeEntries, codeLabel } from '../taxonomy-labels.js';
import { MarkingChip } from './marking-chip.js';
import { ProblemCard } from './problem-notice.js';

export interface FactorFormProps {
  me: Me;
  area: AreaSummary;
  regions: RegionProperties[] | null;
  draft: FactorDraft;
  onDraft: (draft: FactorDraft) => void;
  /** Closes the form, keeping the draft. */
  onClose: () => void;
  /** Throws the draft away and closes the form. */
  onDiscard: () => void;
  onCreated: (factor: Factor) => void;
}

/**
 * `data-testid="factor-form"`; fields `factor-title`, `factor-summary`, `factor-details`, ...;
 * the save button `factor-submit`.
 *
 * @example <FactorForm me={me} area={area} regions={regions} draft={draft} onDraft={setDraft} ... />
 */
export function FactorForm(props: FactorFormProps) {
  const { me, area, regions, draft, onDraft } = props;
  const taxonomies = useTaxonomies();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [touched, setTouched] = useState<ReadonlySet<FactorField>>(new Set());
  const [tried, setTried] = useState(false);
  const [pending, setPending] = useState(false);
  const [serverErrors, setServerErrors] = useState<FactorErrors>({});
  const [otherErrors, setOtherErrors] = useState<{ path: string; message: string }[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[data-testid="factor-title"]')?.focus();
  }, []);

  const local = validateFactor(draft, me);
  const errorOf = (field: FactorField): string | undefined =>
    serverErrors[field] ?? (tried || touched.has(field) ? local[field] : undefined);

  const change = <K extends keyof FactorDraft>(field: K, value: FactorDraft[K]) => {
    onDraft({ ...draft, [field]: value });
    if (serverErrors[field]) {
      const { [field]: _gone, ...rest } = serverErrors;
      setServerErrors(rest);
    }
  };
  const touch = (field: FactorField) => {
    if (!touched.has(field)) setTouched(new Set([...touched, field]));
  };
  const focusField = (field: FactorField) =>
    formRef.current?.querySelector<HTMLElement>(`[data-field="${field}"]`)?.focus();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    setTried(true);
    setProblem(null);
    setOtherErrors([]);
    const first = factorFields.find((field) => local[field]);
    if (first) {
      focusField(first);
      return;
    }
    setPending(true);
    try {
      const factor = await apiSend<Factor>(
        'POST',
        `/api/areas/${encodeURIComponent(area.id)}/factors`,
        factorBody(draft),
      );
      setPending(false);
      props.onCreated(factor);
    } catch (error) {
      setPending(false);
      const p = error instanceof ApiProblem ? error.problem : toProblem(error);
      const byField: FactorErrors = {};
      const other: { path: string; message: string }[] = [];
      for (const e of p.errors ?? []) {
        const field = fieldOfPath(e.path);
        if (field && !byField[field]) byField[field] = e.message;
        else if (!field) other.push(e);
      }
      setServerErrors(byField);
      setOtherErrors(other);
      // A problem without field errors (or with some no field shows) is shown whole.
      if (Object.keys(byField).length === 0 || other.length > 0) setProblem(p);
      const firstServer = factorFields.find((field) => byField[field]);
      if (firstServer) focusField(firstServer);
    }
  };

  const levels = codeEntries(taxonomies, 'classification').filter((e) =>
    isClassificationAtMost(e.code as ClassificationCode, me.clearance),
  );
  const audiences = codeEntries(taxonomies, 'releasability');
  const topics = codeEntries(taxonomies, 'crossCuttingTopic');
  const previewable = draft.classification !== '' && !local.classification && !local.releasability;

  return (
    <form
      ref={formRef}
      className="factor-form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-labelledby={`${id}-title`}
      data-testid="factor-form"
    >
      <header className="factor-form-header">
        <h2 id={`${id}-title`}>{t('factorForm.title', { area: area.name })}</h2>
        {previewable ? (
          <MarkingChip
            marking={{
              classification: draft.classification as ClassificationCode,
              releasability: draft.releasability as FactorMarking['releasability'],
            }}
            exercise={area.exercise}
            title={t('factorForm.markingPreview')}
          />
        ) : null}
      </header>
      <p className="form-note">{t('factorForm.draftNote')}</p>

      <Field
        id={`${id}-t`}
        label={t('factorForm.titleLabel')}
        error={errorOf('title')}
        required
        counter={counter(draft.title.trim().length, factorLimits.title)}
      >
        {(describedBy) => (
          <input
            id={`${id}-t`}
            className="input"
            value={draft.title}
            onChange={(event) => change('title', event.target.value)}
            onBlur={() => touch('title')}
            aria-invalid={errorOf('title') ? true : undefined}
            aria-describedby={describedBy}
            aria-required="true"
            data-field="title"
            data-testid="factor-title"
          />
        )}
      </Field>

      <div className="field-row">
        <Field id={`${id}-p`} label={t('factorForm.pmesii')} error={errorOf('pmesii')} required>
          {(describedBy) => (
            <select
              id={`${id}-p`}
              className="input"
              value={draft.pmesii}
              onChange={(event) => change('pmesii', event.target.value)}
              onBlur={() => touch('pmesii')}
              aria-invalid={errorOf('pmesii') ? true : undefined}
              aria-describedby={describedBy}
              aria-required="true"
              data-field="pmesii"
              data-testid="factor-pmesii"
            >
              <option value="">{t('factorForm.choose')}</option>
              {codeEntries(taxonomies, 'pmesiiDomain').map((e) => (
                <option key={e.code} value={e.code}>
                  {e.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={`${id}-a`} label={t('factorForm.ascope')} error={errorOf('ascope')} required>
          {(describedBy) => (
            <select
              id={`${id}-a`}
              className="input"
              value={draft.ascope}
              onChange={(event) => change('ascope', event.target.value)}
              onBlur={() => touch('ascope')}
              aria-invalid={errorOf('ascope') ? true : undefined}
              aria-describedby={describedBy}
              aria-required="true"
              data-field="ascope"
              data-testid="factor-ascope"
            >
              <option value="">{t('factorForm.choose')}</option>
              {codeEntries(taxonomies, 'ascopeCategory').map((e) => (
                <option key={e.code} value={e.code}>
                  {e.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      <Field id={`${id}-r`} label={t('factorForm.region')} error={errorOf('regionId')}>
        {(describedBy) => (
          <select
            id={`${id}-r`}
            className="input"
            value={draft.regionId}
            onChange={(event) => change('regionId', event.target.value)}
            aria-describedby={describedBy}
            data-field="regionId"
            data-testid="factor-region"
          >
            <option value="">{t('factorForm.wholeArea')}</option>
            {(regions ?? [])
              .slice()
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
          </select>
        )}
      </Field>

      <CheckGroup
        id={`${id}-topics`}
        legend={t('factorForm.topics')}
        error={errorOf('topics')}
        field="topics"
        options={topics.map((e) => ({ code: e.code, label: e.code, hint: e.label }))}
        selected={draft.topics}
        onChange={(next) => change('topics', next)}
        testId="factor-topic"
      />

      <Field
        id={`${id}-s`}
        label={t('factorForm.summary')}
        error={errorOf('summary')}
        hint={t('factorForm.summaryHint')}
        counter={counter(draft.summary.length, factorLimits.summary)}
      >
        {(describedBy) => (
          <textarea
            id={`${id}-s`}
            className="input textarea"
            rows={3}
            value={draft.summary}
            onChange={(event) => change('summary', event.target.value)}
            onBlur={() => touch('summary')}
            aria-invalid={errorOf('summary') ? true : undefined}
            aria-describedby={describedBy}
            data-field="summary"
            data-testid="factor-summary"
          />
        )}
      </Field>

      <Field
        id={`${id}-d`}
        label={t('factorForm.details')}
        error={errorOf('details')}
        hint={t('factorForm.detailsHint')}
        counter={counter(draft.details.length, factorLimits.details)}
      >
        {(describedBy) => (
          <textarea
            id={`${id}-d`}
            className="input textarea"
            rows={4}
            value={draft.details}
            onChange={(event) => change('details', event.target.value)}
            onBlur={() => touch('details')}
            aria-invalid={errorOf('details') ? true : undefined}
            aria-describedby={describedBy}
            data-field="details"
            data-testid="factor-details"
          />
        )}
      </Field>

      <fieldset className="field-group">
        <legend>{t('factorForm.marking')}</legend>
        <Field
          id={`${id}-c`}
          label={t('factorForm.classification')}
          error={errorOf('classification')}
          required
          hint={t('factorForm.classificationHint', {
            clearance: codeLabel(taxonomies, 'classification', me.clearance),
          })}
        >
          {(describedBy) => (
            <select
              id={`${id}-c`}
              className="input"
              value={draft.classification}
              onChange={(event) => change('classification', event.target.value)}
              onBlur={() => touch('classification')}
              aria-invalid={errorOf('classification') ? true : undefined}
              aria-describedby={describedBy}
              aria-required="true"
              data-field="classification"
              data-testid="factor-classification"
            >
              {levels.map((e) => (
                <option key={e.code} value={e.code}>
                  {e.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <CheckGroup
          id={`${id}-rel`}
          legend={t('factorForm.releasability')}
          hint={t('factorForm.releasabilityHint')}
          error={errorOf('releasability')}
          field="releasability"
          options={audiences.map((e) => ({ code: e.code, label: e.code, hint: e.label }))}
          selected={draft.releasability}
          onChange={(next) => {
            change('releasability', next);
            touch('releasability');
          }}
          testId="factor-release"
        />
      </fieldset>

      <Field
        id={`${id}-comp`}
        label={t('factorForm.compartment')}
        error={errorOf('compartment')}
        hint={
          me.compartments.length === 0
            ? t('factorForm.noCompartments')
            : t('factorForm.compartmentHint')
        }
      >
        {(describedBy) => (
          <select
            id={`${id}-comp`}
            className="input"
            value={draft.compartment}
            onChange={(event) => change('compartment', event.target.value)}
            aria-invalid={errorOf('compartment') ? true : undefined}
            aria-describedby={describedBy}
            data-field="compartment"
            data-testid="factor-compartment"
          >
            <option value="">{t('factorForm.noCompartment')}</option>
            {me.compartments.map((c) => (
              <option key={c} value={c}>
                {`${c} — ${codeLabel(taxonomies, 'compartment', c)}`}
              </option>
            ))}
          </select>
        )}
      </Field>

      {otherErrors.length > 0 || problem ? (
        <div className="form-problems">
          {problem ? <ProblemCard problem={{ ...problem, errors: otherErrors }} /> : null}
        </div>
      ) : null}

      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={pending}
          data-testid="factor-submit"
        >
          {pending ? t('factorForm.saving') : t('factorForm.save')}
        </button>
        <button type="button" className="button" onClick={props.onClose} data-testid="factor-close">
          {t('factorForm.close')}
        </button>
        <button
          type="button"
          className="button button-quiet"
          onClick={props.onDiscard}
          data-testid="factor-discard"
        >
          {t('factorForm.discard')}
        </button>
      </div>
    </form>
  );
}

type FactorMarking = Factor['marking'];

function counter(length: number, max: number): string {
  return t('factorForm.counter', { count: formatNumber(length), max: formatNumber(max) });
}

/** A labelled field with its hint, counter and error, wired for screen readers. */
function Field(props: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string;
  counter?: string;
  required?: boolean;
  children: (describedBy: string | undefined) => ReactNode;
}) {
  const hintId = `${props.id}-hint`;
  const errorId = `${props.id}-error`;
  const describedBy =
    [props.error ? errorId : '', props.hint ? hintId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={props.error ? 'field has-error' : 'field'}>
      <div className="field-label-row">
        <label htmlFor={props.id}>
          {props.label}
          {props.required ? (
            <span className="required-mark" aria-hidden="true">
              {' *'}
            </span>
          ) : null}
        </label>
        {props.counter ? <span className="field-counter">{props.counter}</span> : null}
      </div>
      {props.children(describedBy)}
      {props.hint ? (
        <p className="field-hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p className="field-error" id={errorId} data-testid="field-error">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** A group of checkboxes (topics, audiences) with one error for the group. */
function CheckGroup(props: {
  id: string;
  legend: string;
  hint?: string;
  error?: string | undefined;
  field: FactorField;
  options: { code: string; label: string; hint: string }[];
  selected: string[];
  onChange: (selected: string[]) => void;
  testId: string;
}) {
  const errorId = `${props.id}-error`;
  const hintId = `${props.id}-hint`;
  const describedBy =
    [props.error ? errorId : '', props.hint ? hintId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset
      className={props.error ? 'field check-group has-error' : 'field check-group'}
      aria-describedby={describedBy}
      aria-invalid={props.error ? true : undefined}
    >
      <legend>{props.legend}</legend>
      <div className="check-grid">
        {props.options.map((option, index) => (
          <label key={option.code} className="check" title={option.hint}>
            <input
              type="checkbox"
              checked={props.selected.includes(option.code)}
              onChange={(event) =>
                props.onChange(
                  event.target.checked
                    ? props.options
                        .map((o) => o.code)
                        .filter((c) => c === option.code || props.selected.includes(c))
                    : props.selected.filter((c) => c !== option.code),
                )
              }
              data-field={index === 0 ? props.field : undefined}
              data-testid={`${props.testId}-${option.code}`}
            />
            <span>{option.label}</span>
            <span className="sr-only">{` — ${option.hint}`}</span>
          </label>
        ))}
      </div>
      {props.hint ? (
        <p className="field-hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p className="field-error" id={errorId} data-testid="field-error">
          {props.error}
        </p>
      ) : null}
    </fieldset>
  );
}
