// A new screening: the planner pastes aimpoints (MGRS, lat/lon or DMS, one a line) or loads a
// text, CSV or GeoJSON file; the server reads them as they type and every bad line is listed
// beside the input. The default effect class, the release screened against (the current register
// or a released NSL/RTL), the title and the marking complete it. The draft lives in the page's
// state, so changing tab does not lose it; nothing goes to the browser's storage.
import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiProblem, apiSend, isAbort, toProblem } from '../api.js';
import type {
  ClassificationCode,
  EffectClass,
  Marking,
  Me,
  ParsedAimpoints,
  Problem,
  Release,
  Screening,
} from '../contract.js';
import { formatNumber, t } from '../i18n.js';
import { releasabilityError } from '../factor-rules.js';
import { inputProblems, plannerFormatOf } from '../screening-view.js';
import type { InputProblem, PlannerFormat } from '../screening-view.js';
import { MarkingFields } from './marking-fields.js';
import { ProblemCard } from './problem-notice.js';

/** What the planner has entered so far. */
export interface ScreeningDraft {
  text: string;
  /** The name of the file the text was loaded from, if any. */
  fileName: string;
  format: PlannerFormat;
  /** Default effect class code ('' = none chosen yet). */
  effectClass: string;
  /** Release number screened against; '' = the current register. */
  release: string;
  title: string;
  planReference: string;
  classification: ClassificationCode;
  releasability: Marking['releasability'];
}

export const emptyDraft: ScreeningDraft = {
  text: '',
  fileName: '',
  format: 'auto',
  effectClass: '',
  release: '',
  title: '',
  planReference: '',
  classification: 'NU',
  releasability: [],
};

/** The server's reading of the aimpoints typed so far. */
export type ParseState =
  | { status: 'empty' }
  /** Being read; `last` is the previous reading, kept on the map meanwhile. */
  | { status: 'reading'; last: ParsedAimpoints | null }
  | { status: 'read'; result: ParsedAimpoints }
  | { status: 'bad'; problems: InputProblem[]; problem: Problem };

/** How long typing pauses before the aimpoints are read again. */
const parseDelayMs = 400;
/** Largest file shown in the text area for editing; larger files are sent as they are. */
const editableBytes = 512 * 1024;
/** Largest file read into the form (the API takes plans of up to 64 MiB). */
const fileMaxBytes = 64 * 1024 * 1024;

/**
 * Reads the draft's aimpoints on the server whenever the text, format or default effect class
 * change (after a pause in typing), so the map and the problems follow the input.
 *
 * @example const parse = useAimpointParse(draft);
 */
export function useAimpointParse(draft: ScreeningDraft, enabled: boolean): ParseState {
  const { text, format, effectClass } = draft;
  const key = enabled && text.trim() !== '' ? JSON.stringify([text, format, effectClass]) : '';
  // The answer for the input it was read from: anything else typed since is still being read.
  const [loaded, setLoaded] = useState<{ key: string; state: ParseState }>({
    key: '',
    state: { status: 'empty' },
  });
  useEffect(() => {
    if (key === '') return;
    const abort = new AbortController();
    const timer = window.setTimeout(() => {
      apiSend<ParsedAimpoints>(
        'POST',
        '/api/screenings/parse',
        { text, format, ...(effectClass ? { default_effect_class: effectClass } : {}) },
        { signal: abort.signal },
      ).then(
        (result) => setLoaded({ key, state: { status: 'read', result } }),
        (error: unknown) => {
          if (isAbort(error) || abort.signal.aborted) return;
          const problem = toProblem(error);
          setLoaded({
            key,
            state: { status: 'bad', problem, problems: inputProblems(problem.errors ?? []) },
          });
        },
      );
    }, parseDelayMs);
    return () => {
      window.clearTimeout(timer);
      abort.abort();
    };
    // The key holds the text, format and effect class.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  if (key === '') return { status: 'empty' };
  if (loaded.key === key) return loaded.state;
  return { status: 'reading', last: loaded.state.status === 'read' ? loaded.state.result : null };
}

export interface ScreeningFormProps {
  me: Me;
  draft: ScreeningDraft;
  onDraft: (draft: ScreeningDraft) => void;
  parse: ParseState;
  effectClasses: EffectClass[] | null;
  /** Released releases, newest first; null while loading. */
  releases: Release[] | null;
  onCreated: (screening: Screening) => void;
}

/**
 * The form (`data-testid="screening-form"`).
 *
 * @example <ScreeningForm me={me} draft={draft} onDraft={setDraft} parse={parse} ... />
 */
export function ScreeningForm(props: ScreeningFormProps) {
  const { me, draft, onDraft, parse, effectClasses, releases } = props;
  const id = useId();
  const [tried, setTried] = useState(false);
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const change = (patch: Partial<ScreeningDraft>) => onDraft({ ...draft, ...patch });

  const aimpoints = parse.status === 'read' ? parse.result.aimpoints : [];
  const errors = {
    aimpoints:
      parse.status === 'empty'
        ? t('screening.aimpointsRequired')
        : parse.status === 'bad'
          ? t('screening.aimpointsBad', { count: parse.problems.length || 1 })
          : null,
    title: draft.title.trim() === '' ? t('screening.titleRequired') : null,
    marking: releasabilityError(draft.classification, draft.releasability, me),
  };
  const ready = parse.status === 'read' && !errors.title && !errors.marking;

  const loadFile = async (file: File | null) => {
    if (!file) return;
    if (file.size > fileMaxBytes) {
      setProblem({
        type: 'about:blank',
        title: t('screening.fileTooLarge'),
        status: 0,
        detail: t('screening.fileTooLargeDetail', { name: file.name }),
      });
      return;
    }
    setProblem(null);
    onDraft({
      ...draft,
      text: await file.text(),
      fileName: file.name,
      format: plannerFormatOf(file.name),
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!ready || parse.status !== 'read') return;
    setPending(true);
    setProblem(null);
    try {
      const screening = await apiSend<Screening>('POST', '/api/screenings', {
        title: draft.title.trim(),
        ...(draft.planReference.trim() ? { plan_reference: draft.planReference.trim() } : {}),
        ...(draft.release ? { release: Number(draft.release) } : {}),
        aimpoints: parse.result.aimpoints,
        marking: { classification: draft.classification, releasability: draft.releasability },
      });
      setTried(false);
      props.onCreated(screening);
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error.problem : toProblem(error));
    } finally {
      setPending(false);
    }
  };

  const show = (field: keyof typeof errors) => (tried ? errors[field] : null);

  return (
    <form
      className="screening-form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-labelledby={`${id}-title`}
      data-testid="screening-form"
    >
      <h2 id={`${id}-title`} className="sr-only">
        {t('screening.new')}
      </h2>
      <div className={`field${show('aimpoints') ? ' has-error' : ''}`}>
        <div className="field-label-row">
          <label htmlFor={`${id}-text`}>
            {t('screening.aimpoints')}
            <span className="required-mark" aria-hidden="true">
              {' *'}
            </span>
          </label>
          <label className="button button-small file-button">
            {t('screening.loadFile')}
            <input
              type="file"
              className="sr-only"
              accept=".csv,.geojson,.json,.ndjson,.jsonl,.txt,text/plain,text/csv,application/geo+json"
              onChange={(event) => {
                void loadFile(event.target.files?.[0] ?? null);
                event.target.value = '';
              }}
              data-testid="screening-file"
            />
          </label>
        </div>
        {draft.text.length > editableBytes ? (
          <div className="screening-large" data-testid="screening-large">
            <span>
              {t('screening.largeFile', {
                name: draft.fileName || t('screening.pasted'),
                size: formatNumber(Math.round(draft.text.length / 1024)),
              })}
            </span>
            <button
              type="button"
              className="button button-small"
              onClick={() => change({ text: '', fileName: '' })}
            >
              {t('screening.clear')}
            </button>
          </div>
        ) : (
          <textarea
            id={`${id}-text`}
            className="input textarea mono screening-text"
            rows={7}
            spellCheck={false}
            value={draft.text}
            placeholder={t('screening.aimpointsPlaceholder')}
            onChange={(event) => change({ text: event.target.value, fileName: '' })}
            aria-invalid={parse.status === 'bad' ? true : undefined}
            aria-describedby={`${id}-text-hint ${id}-parse`}
            aria-required="true"
            data-testid="screening-text"
          />
        )}
        <p className="field-hint" id={`${id}-text-hint`}>
          {draft.fileName
            ? t('screening.fromFile', { name: draft.fileName })
            : t('screening.aimpointsHint')}
        </p>
        <div className="field-row">
          <div className="field field-inline">
            <label htmlFor={`${id}-format`}>{t('screening.format')}</label>
            <select
              id={`${id}-format`}
              className="input input-small"
              value={draft.format}
              onChange={(event) => change({ format: event.target.value as PlannerFormat })}
              data-testid="screening-format"
            >
              {(['auto', 'text', 'csv', 'geojson', 'ndjson'] as const).map((f) => (
                <option key={f} value={f}>
                  {t(`screening.format.${f}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field field-inline">
            <label htmlFor={`${id}-class`}>{t('screening.effectClass')}</label>
            <select
              id={`${id}-class`}
              className="input input-small"
              value={draft.effectClass}
              onChange={(event) => change({ effectClass: event.target.value })}
              title={t('screening.effectClassHint')}
              data-testid="screening-effect-class"
            >
              <option value="">{t('screening.noEffectClass')}</option>
              {(effectClasses ?? []).map((c) => (
                <option key={c.code} value={c.code}>
                  {t('screening.effectClassOption', {
                    code: c.code,
                    radius: formatNumber(c.radius_m),
                  })}
                </option>
              ))}
            </select>
          </div>
        </div>
        <ParseReport id={`${id}-parse`} parse={parse} />
      </div>

      <div className="field-row">
        <div className={`field${show('title') ? ' has-error' : ''}`}>
          <label htmlFor={`${id}-name`}>
            {t('screening.titleField')}
            <span className="required-mark" aria-hidden="true">
              {' *'}
            </span>
          </label>
          <input
            id={`${id}-name`}
            className="input"
            value={draft.title}
            maxLength={200}
            onChange={(event) => change({ title: event.target.value })}
            aria-invalid={show('title') ? true : undefined}
            aria-required="true"
            data-testid="screening-title"
          />
          {show('title') ? (
            <p className="field-error" data-testid="field-error">
              {show('title')}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={`${id}-ref`}>{t('screening.planReference')}</label>
          <input
            id={`${id}-ref`}
            className="input"
            value={draft.planReference}
            maxLength={200}
            onChange={(event) => change({ planReference: event.target.value })}
            data-testid="screening-plan-reference"
          />
        </div>
      </div>

      <div className="field">
        <label htmlFor={`${id}-release`}>{t('screening.release')}</label>
        <select
          id={`${id}-release`}
          className="input"
          value={draft.release}
          onChange={(event) => change({ release: event.target.value })}
          data-testid="screening-release"
        >
          <option value="">{t('screening.currentRegister')}</option>
          {(releases ?? []).map((r) =>
            r.number === null ? null : (
              <option key={r.id} value={String(r.number)}>
                {t('screening.releaseOption', { number: r.number, title: r.title })}
              </option>
            ),
          )}
        </select>
        <p className="field-hint">{t('screening.releaseHint')}</p>
      </div>

      <MarkingFields
        me={me}
        marking={{ classification: draft.classification, releasability: draft.releasability }}
        onChange={(m) =>
          change({ classification: m.classification, releasability: m.releasability })
        }
        legend={t('screening.marking')}
        testPrefix="screening"
      />

      {problem ? <ProblemCard problem={problem} onDismiss={() => setProblem(null)} /> : null}
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={pending}
          data-testid="screening-run"
        >
          {pending
            ? t('screening.running')
            : aimpoints.length > 0
              ? t('screening.runCount', { count: aimpoints.length })
              : t('screening.run')}
        </button>
        {tried && !ready ? (
          <span className="field-error" role="status">
            {errors.aimpoints ?? errors.title ?? errors.marking}
          </span>
        ) : null}
      </div>
    </form>
  );
}

/** What the server read, or every bad line (`data-testid="screening-parse"`). */
function ParseReport({ id, parse }: { id: string; parse: ParseState }) {
  return (
    <div
      id={id}
      className={`parse-report parse-${parse.status}`}
      role="status"
      aria-live="polite"
      data-testid="screening-parse"
      data-status={parse.status}
    >
      {parse.status === 'empty' ? null : parse.status === 'reading' ? (
        <p className="muted">{t('screening.reading')}</p>
      ) : parse.status === 'read' ? (
        <>
          <p className="parse-summary" data-testid="screening-parse-summary">
            {t('screening.read', {
              count: parse.result.aimpoints.length,
              format: t(`screening.format.${parse.result.format}`),
            })}
          </p>
          {parse.result.warnings.length > 0 ? (
            <ul className="parse-lines parse-warnings" data-testid="screening-warnings">
              {parse.result.warnings.map((w, index) => (
                <li key={`${w.line ?? 'x'}-${index}`}>
                  {w.line !== undefined ? (
                    <span className="parse-line mono">{t('screening.line', { line: w.line })}</span>
                  ) : null}
                  <span>{w.message}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : parse.problems.length > 0 ? (
        <>
          <p className="parse-summary field-error">
            {t('screening.problems', { count: parse.problems.length })}
          </p>
          <ul className="parse-lines parse-errors" data-testid="screening-errors">
            {parse.problems.map((p, index) => (
              <li key={`${p.line ?? p.feature ?? 'x'}-${index}`} data-line={p.line}>
                <span className="parse-line mono">
                  {p.line !== undefined
                    ? t('screening.line', { line: p.line })
                    : p.feature !== undefined
                      ? t('screening.feature', { feature: p.feature })
                      : t('table.noValue')}
                </span>
                {p.field ? <span className="parse-field mono">{p.field}</span> : null}
                <span>{p.message}</span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <ProblemCard problem={parse.problem} />
      )}
    </div>
  );
}
