// The deployment's effect classes (named effect radii) for the users allowed to set them: each row
// edits in place (label, radius, description) and saves with Enter or the Save button; a new
// class is added at the foot; Delete asks once more before it deletes. Saved screenings keep the
// radii they were run with.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { apiSend, toProblem } from '../api.js';
import type { EffectClass, Me, Problem } from '../contract.js';
import { formatNumber, t } from '../i18n.js';
import { actorName, useWhen } from '../people.js';
import { can } from '../session.js';
import { ProblemCard } from './problem-notice.js';

/** Largest effect radius the API accepts, in metres. */
const radiusMax = 100_000;
const codePattern = /^[A-Z0-9_-]{1,32}$/;

interface Edit {
  /** The class edited, or null for a new one. */
  code: string | null;
  newCode: string;
  label: string;
  radius: string;
  description: string;
}

/**
 * Field errors of an effect-class edit, with the API's rules.
 *
 * @example effectClassErrors({ code: null, newCode: 'x', label: '', radius: '0', description: '' });
 */
export function effectClassErrors(
  edit: Edit,
): Partial<Record<'code' | 'label' | 'radius', string>> {
  const errors: Partial<Record<'code' | 'label' | 'radius', string>> = {};
  if (edit.code === null && !codePattern.test(edit.newCode.trim()))
    errors.code = t('effectClass.codeRule');
  if (edit.label.trim() === '') errors.label = t('effectClass.labelRequired');
  const radius = Number(edit.radius);
  if (edit.radius.trim() === '' || !Number.isFinite(radius) || radius <= 0 || radius > radiusMax)
    errors.radius = t('effectClass.radiusRule', { max: formatNumber(radiusMax) });
  return errors;
}

/**
 * @example <EffectClassesEditor me={me} classes={list.data?.items ?? null} onSaved={list.reload} />
 */
export function EffectClassesEditor(props: {
  me: Me;
  classes: EffectClass[] | null;
  problem: Problem | null;
  onSaved: () => void;
}) {
  const id = useId();
  const when = useWhen();
  const [edit, setEdit] = useState<Edit | null>(null);
  const [tried, setTried] = useState(false);
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  // The class whose Delete was pressed once: a second press deletes it.
  const [deleting, setDeleting] = useState<string | null>(null);
  const mayDelete = can(props.me, 'effect_class', 'delete');

  const remove = async (code: string) => {
    if (deleting !== code) {
      setDeleting(code);
      return;
    }
    setPending(true);
    setProblem(null);
    try {
      await apiSend('DELETE', `/api/effect-classes/${encodeURIComponent(code)}`);
      setDeleting(null);
      props.onSaved();
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setPending(false);
    }
  };

  const start = (c: EffectClass | null) => {
    setTried(false);
    setProblem(null);
    setEdit(
      c
        ? {
            code: c.code,
            newCode: c.code,
            label: c.label,
            radius: String(c.radius_m),
            description: c.description ?? '',
          }
        : { code: null, newCode: '', label: '', radius: '', description: '' },
    );
  };

  const errors = edit ? effectClassErrors(edit) : {};
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!edit || Object.keys(errors).length > 0) return;
    setPending(true);
    setProblem(null);
    try {
      const code = edit.code ?? edit.newCode.trim();
      await apiSend<EffectClass>('PUT', `/api/effect-classes/${encodeURIComponent(code)}`, {
        label: edit.label.trim(),
        radius_m: Number(edit.radius),
        ...(edit.description.trim() ? { description: edit.description.trim() } : {}),
      });
      setEdit(null);
      props.onSaved();
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setPending(false);
    }
  };

  if (props.problem) return <ProblemCard problem={props.problem} />;

  const editor = (row: EffectClass | null) =>
    edit && edit.code === (row?.code ?? null) ? (
      <tr
        key={`edit-${row?.code ?? 'new'}`}
        className="is-editing"
        data-testid="effect-class-editing"
      >
        <td className="mono">
          {row ? (
            row.code
          ) : (
            <FieldInput
              label={t('effectClass.code')}
              value={edit.newCode}
              error={tried ? errors.code : undefined}
              onChange={(newCode) => setEdit({ ...edit, newCode: newCode.toUpperCase() })}
              testId="effect-class-code"
              form={`${id}-form`}
            />
          )}
        </td>
        <td>
          <FieldInput
            label={t('effectClass.label')}
            value={edit.label}
            error={tried ? errors.label : undefined}
            onChange={(label) => setEdit({ ...edit, label })}
            testId="effect-class-label"
            form={`${id}-form`}
          />
          <FieldInput
            label={t('effectClass.description')}
            value={edit.description}
            onChange={(description) => setEdit({ ...edit, description })}
            testId="effect-class-description"
            form={`${id}-form`}
          />
        </td>
        <td className="num">
          <FieldInput
            label={t('effectClass.radius')}
            value={edit.radius}
            error={tried ? errors.radius : undefined}
            onChange={(radius) => setEdit({ ...edit, radius })}
            testId="effect-class-radius"
            inputMode="decimal"
            form={`${id}-form`}
          />
        </td>
        <td colSpan={1}>
          <span className="row-actions">
            <button
              type="submit"
              form={`${id}-form`}
              className="button button-small button-primary"
              disabled={pending}
              data-testid="effect-class-save"
            >
              {t('effectClass.save')}
            </button>
            <button type="button" className="button button-small" onClick={() => setEdit(null)}>
              {t('effectClass.cancel')}
            </button>
          </span>
        </td>
      </tr>
    ) : null;

  return (
    <section
      className="effect-classes"
      aria-labelledby={`${id}-title`}
      data-testid="effect-classes"
    >
      <form id={`${id}-form`} onSubmit={(event) => void save(event)} noValidate />
      <h2 id={`${id}-title`} className="panel-heading">
        {t('effectClass.title')}
      </h2>
      <p className="form-note">{t('effectClass.note')}</p>
      {problem ? <ProblemCard problem={problem} onDismiss={() => setProblem(null)} /> : null}
      <div className="table-scroll">
        <table className="admin-table" data-testid="effect-classes-table">
          <thead>
            <tr>
              <th scope="col">{t('effectClass.code')}</th>
              <th scope="col">{t('effectClass.label')}</th>
              <th scope="col" className="num">
                {t('effectClass.radius')}
              </th>
              <th scope="col">{t('effectClass.changed')}</th>
            </tr>
          </thead>
          <tbody>
            {(props.classes ?? []).map(
              (c) =>
                editor(c) ?? (
                  <tr key={c.code} data-code={c.code}>
                    <td className="mono">{c.code}</td>
                    <td>
                      <div>{c.label}</div>
                      {c.description ? <div className="muted">{c.description}</div> : null}
                    </td>
                    <td className="num mono">{formatNumber(c.radius_m)}</td>
                    <td>
                      <span className="row-actions">
                        <span className="muted">
                          {actorName(props.me, c.updated_by)} · {when(c.updated_at)}
                        </span>
                        <button
                          type="button"
                          className="button button-small"
                          onClick={() => start(c)}
                          aria-label={t('effectClass.editOne', { code: c.code })}
                          data-testid={`effect-class-edit-${c.code}`}
                        >
                          {t('effectClass.edit')}
                        </button>
                        {mayDelete ? (
                          <button
                            type="button"
                            className={
                              deleting === c.code
                                ? 'button button-small button-danger'
                                : 'button button-small'
                            }
                            onClick={() => void remove(c.code)}
                            onBlur={() => setDeleting((d) => (d === c.code ? null : d))}
                            disabled={pending}
                            aria-label={
                              deleting === c.code
                                ? t('effectClass.confirmDeleteOne', { code: c.code })
                                : t('effectClass.deleteOne', { code: c.code })
                            }
                            data-testid={`effect-class-delete-${c.code}`}
                          >
                            {deleting === c.code
                              ? t('effectClass.confirmDelete')
                              : t('effectClass.delete')}
                          </button>
                        ) : null}
                      </span>
                    </td>
                  </tr>
                ),
            )}
            {editor(null)}
          </tbody>
        </table>
      </div>
      {edit === null ? (
        <div className="form-actions">
          <button
            type="button"
            className="button button-small"
            onClick={() => start(null)}
            data-testid="effect-class-add"
          >
            {t('effectClass.add')}
          </button>
        </div>
      ) : null}
    </section>
  );
}

function FieldInput(props: {
  label: string;
  value: string;
  error?: string | undefined;
  onChange: (value: string) => void;
  testId: string;
  form: string;
  inputMode?: 'decimal';
}) {
  const id = useId();
  return (
    <span className={props.error ? 'inline-field has-error' : 'inline-field'}>
      <label className="sr-only" htmlFor={id}>
        {props.label}
      </label>
      <input
        id={id}
        className="input input-small"
        value={props.value}
        placeholder={props.label}
        inputMode={props.inputMode}
        form={props.form}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
        onChange={(event) => props.onChange(event.target.value)}
        data-testid={props.testId}
      />
      {props.error ? (
        <span className="field-error" id={`${id}-error`}>
          {props.error}
        </span>
      ) : null}
    </span>
  );
}
