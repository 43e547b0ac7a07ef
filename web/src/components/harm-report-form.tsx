// Intake of a report of civilian harm, usable on a phone: who reports and how reliable they are,
// when it was received, the reporter's contact (need-to-know), where (a map click, lat/lon or
// MGRS) and when, both narratives, killed and injured as low/best/high with a breakdown by sex and
// age, cause, suspected party, topics and marking. The form checks as the user types with the
// API's own rules (the domain schema and checkReport); the API's answer — problems by field, or
// the warnings it recorded — is shown next to the fields and after the submit.
import { useId, useMemo, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { toPoint } from 'mgrs';
import { useSettings, useTaxonomies } from '../app-context.js';
import { ApiProblem, apiSend, toProblem } from '../api.js';
import type { HarmReport, Marking, Me, NewHarmReportBody, Problem } from '../contract.js';
import { formatDtg, formatMgrs } from '../format.js';
import { errorsFor, fieldErrors } from '../harm-view.js';
import { t } from '../i18n.js';
import type { MessageKey } from '../i18n.js';
import { codeEntries } from '../taxonomy-labels.js';
import '../zod-config.js';
import { newHarmReportSchema } from '../../../src/domain/harm/harm.js';
import { checkReport } from '../../../src/domain/harm/harm-rules.js';
import { Link } from './link.js';
import { MarkingFields } from './marking-fields.js';
import { ProblemCard } from './problem-notice.js';

type Counts = { low: string; best: string; high: string };
type Split = Record<string, string>;

/** What the user has typed so far: text as typed, turned into the API's body on submit. */
export interface HarmReportDraft {
  sourceType: string;
  reliability: string;
  sourceName: string;
  sourceRef: string;
  /** `YYYY-MM-DDTHH:MM`, UTC. */
  receivedAt: string;
  reporterContact: string;
  lat: string;
  lon: string;
  mgrs: string;
  precision: string;
  adminCode: string;
  adminName: string;
  place: string;
  dateStart: string;
  dateEnd: string;
  datePrecision: string;
  confidential: string;
  releasable: string;
  killed: Counts;
  injured: Counts;
  killedSex: Split;
  killedAge: Split;
  injuredSex: Split;
  injuredAge: Split;
  cause: string;
  suspectedParty: string;
  topics: string[];
  marking: Marking;
}

const zero: Counts = { low: '0', best: '0', high: '0' };

/** A fresh draft, received now. */
export function emptyHarmReportDraft(now = new Date()): HarmReportDraft {
  const today = now.toISOString().slice(0, 10);
  return {
    sourceType: 'LOCAL-POPULATION',
    reliability: 'F',
    sourceName: '',
    sourceRef: '',
    receivedAt: now.toISOString().slice(0, 16),
    reporterContact: '',
    lat: '',
    lon: '',
    mgrs: '',
    precision: 'EXACT',
    adminCode: '',
    adminName: '',
    place: '',
    dateStart: today,
    dateEnd: today,
    datePrecision: 'DAY',
    confidential: '',
    releasable: '',
    killed: zero,
    injured: zero,
    killedSex: {},
    killedAge: {},
    injuredSex: {},
    injuredAge: {},
    cause: 'UNKNOWN',
    suspectedParty: 'UNKNOWN',
    topics: [],
    marking: { classification: 'NU', releasability: [] },
  };
}

/**
 * The position a draft gives: lat/lon when both are typed, else the MGRS reference; null when
 * neither reads.
 */
export function draftPosition(draft: HarmReportDraft): { lon: number; lat: number } | null {
  if (draft.lat.trim() !== '' && draft.lon.trim() !== '') {
    const lat = Number(draft.lat);
    const lon = Number(draft.lon);
    return Number.isFinite(lat) && Number.isFinite(lon) ? { lon, lat } : null;
  }
  const grid = draft.mgrs.replace(/\s+/g, '').toUpperCase();
  if (grid === '') return null;
  try {
    const [lon = NaN, lat = NaN] = toPoint(grid);
    return Number.isFinite(lon) && Number.isFinite(lat) ? { lon, lat } : null;
  } catch {
    return null;
  }
}

const whole = (v: string) => (v.trim() === '' ? NaN : Number(v));
const counts = (c: Counts) => ({ low: whole(c.low), best: whole(c.best), high: whole(c.high) });
const split = (s: Split) =>
  Object.fromEntries(
    Object.entries(s)
      .filter(([, v]) => v.trim() !== '')
      .map(([k, v]) => [k, whole(v)]),
  );

/** The request body a draft gives (numbers that do not read become NaN and fail the schema). */
export function harmReportBody(draft: HarmReportDraft): NewHarmReportBody {
  const at = draftPosition(draft);
  return {
    sourceType: draft.sourceType as NewHarmReportBody['sourceType'],
    reliability: draft.reliability as NewHarmReportBody['reliability'],
    sourceName: draft.sourceName.trim(),
    sourceRef: draft.sourceRef.trim() || null,
    receivedAt: draft.receivedAt ? `${draft.receivedAt}:00Z` : '',
    reporterContact: draft.reporterContact,
    location: {
      lon: at?.lon ?? NaN,
      lat: at?.lat ?? NaN,
      precision: draft.precision as NewHarmReportBody['location']['precision'],
      adminCode: draft.adminCode.trim() || null,
      adminName: draft.adminName.trim() || null,
      place: draft.place,
    },
    date: {
      start: draft.dateStart,
      end: draft.dateEnd || draft.dateStart,
      precision: draft.datePrecision as NewHarmReportBody['date']['precision'],
    },
    narrative: { confidential: draft.confidential, releasable: draft.releasable },
    killed: counts(draft.killed),
    injured: counts(draft.injured),
    killedBreakdown: { sex: split(draft.killedSex), age: split(draft.killedAge) },
    injuredBreakdown: { sex: split(draft.injuredSex), age: split(draft.injuredAge) },
    cause: draft.cause as NewHarmReportBody['cause'],
    suspectedParty: draft.suspectedParty as NewHarmReportBody['suspectedParty'],
    topics: draft.topics as NewHarmReportBody['topics'],
    marking: draft.marking,
  };
}

/**
 * What the API would say of a draft, checked here with the same schema and rules: problems by
 * field path (as the API names them) and the warnings it would record.
 */
export function checkHarmDraft(draft: HarmReportDraft, now: string) {
  const parsed = newHarmReportSchema.safeParse(harmReportBody(draft));
  if (!parsed.success) {
    return {
      problems: fieldErrors(
        parsed.error.issues.map((i) => ({
          path: i.path.join('.'),
          message: i.message,
        })),
      ),
      warnings: [],
    };
  }
  const { problems, warnings } = checkReport(parsed.data, now);
  return { problems: fieldErrors(problems), warnings };
}

export interface HarmReportFormProps {
  me: Me;
  draft: HarmReportDraft;
  onDraft: (draft: HarmReportDraft) => void;
  /** The report just filed (its warnings are shown), or null. */
  filed: HarmReport | null;
  onFiled: (report: HarmReport | null) => void;
  search: string;
}

/**
 * The intake form (`data-testid="harm-report-form"`).
 *
 * @example <HarmReportForm me={me} draft={draft} onDraft={setDraft} filed={null} onFiled={setFiled} search="" />
 */
export function HarmReportForm(props: HarmReportFormProps) {
  const { me, draft, onDraft, filed, onFiled, search } = props;
  const id = useId();
  const taxonomies = useTaxonomies();
  const { notation } = useSettings();
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [tried, setTried] = useState(false);
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [serverErrors, setServerErrors] = useState<Map<string, string[]>>(new Map());

  const change = (patch: Partial<HarmReportDraft>, field?: string) => {
    onDraft({ ...draft, ...patch });
    if (field) setTouched((s) => new Set(s).add(field));
    if (serverErrors.size > 0) setServerErrors(new Map());
  };
  const check = useMemo(() => checkHarmDraft(draft, new Date().toISOString()), [draft]);
  const errors = (field: string): string[] => {
    const server = errorsFor(serverErrors, field);
    if (server.length > 0) return server;
    return tried || touched.has(field) ? errorsFor(check.problems, field) : [];
  };
  const position = draftPosition(draft);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    setProblem(null);
    if (check.problems.size > 0) return;
    setPending(true);
    try {
      const report = await apiSend<HarmReport>('POST', '/api/harm/reports', harmReportBody(draft));
      setTried(false);
      setTouched(new Set());
      onFiled(report);
      onDraft(emptyHarmReportDraft());
    } catch (error) {
      const p = error instanceof ApiProblem ? error.problem : toProblem(error);
      setServerErrors(fieldErrors(p.errors ?? []));
      setProblem(p);
    } finally {
      setPending(false);
    }
  };

  const select = (
    field: keyof HarmReportDraft,
    list: string,
    label: MessageKey,
    testId: string,
    describe = false,
  ) => (
    <Field id={`${id}-${field}`} label={t(label)} errors={errors(field)}>
      <select
        id={`${id}-${field}`}
        className="input"
        value={draft[field] as string}
        onChange={(e) => change({ [field]: e.target.value } as Partial<HarmReportDraft>, field)}
        data-testid={testId}
      >
        {codeEntries(taxonomies, list).map((e) => (
          <option key={e.code} value={e.code} title={e.description}>
            {describe ? `${e.code} — ${e.label}` : e.label}
          </option>
        ))}
      </select>
    </Field>
  );

  const text = (
    field: keyof HarmReportDraft,
    label: MessageKey,
    testId: string,
    options: { type?: string; required?: boolean; hint?: string; errorPath?: string } = {},
  ) => {
    const path = options.errorPath ?? field;
    const shown = errors(path);
    return (
      <Field
        id={`${id}-${field}`}
        label={t(label)}
        errors={shown}
        required={options.required}
        hint={options.hint}
      >
        <input
          id={`${id}-${field}`}
          className="input"
          type={options.type ?? 'text'}
          value={draft[field] as string}
          onChange={(e) => change({ [field]: e.target.value } as Partial<HarmReportDraft>, path)}
          aria-invalid={shown.length > 0 ? true : undefined}
          aria-required={options.required ? true : undefined}
          data-testid={testId}
        />
      </Field>
    );
  };

  const estimate = (which: 'killed' | 'injured') => {
    const shown = errors(which);
    return (
      <fieldset className="field-group harm-estimate" data-testid={`harm-${which}`}>
        <legend>{t(which === 'killed' ? 'harm.killed' : 'harm.injured')}</legend>
        <div className="harm-triple">
          {(['low', 'best', 'high'] as const).map((k) => (
            <div className="field" key={k}>
              <label htmlFor={`${id}-${which}-${k}`}>{t(`harm.${k}`)}</label>
              <input
                id={`${id}-${which}-${k}`}
                className="input"
                type="number"
                inputMode="numeric"
                min={0}
                value={draft[which][k]}
                onChange={(e) =>
                  change({ [which]: { ...draft[which], [k]: e.target.value } }, which)
                }
                aria-invalid={shown.length > 0 ? true : undefined}
                data-testid={`harm-${which}-${k}`}
              />
            </div>
          ))}
        </div>
        <FieldErrors errors={shown} />
        {(['sex', 'age'] as const).map((dimension) => {
          const key = `${which}${dimension === 'sex' ? 'Sex' : 'Age'}` as
            'killedSex' | 'killedAge' | 'injuredSex' | 'injuredAge';
          const path = `${which}Breakdown.${dimension}`;
          const list = dimension === 'sex' ? 'sex' : 'ageGroup';
          const dimErrors = errors(path);
          return (
            <fieldset className="harm-breakdown" key={dimension}>
              <legend>{t(dimension === 'sex' ? 'harm.bySex' : 'harm.byAge')}</legend>
              <div className="harm-breakdown-grid">
                {codeEntries(taxonomies, list).map((e) => (
                  <label key={e.code} className="harm-breakdown-cell">
                    <span>{e.label}</span>
                    <input
                      className="input input-small"
                      type="number"
                      inputMode="numeric"
                      min={0}
                      value={draft[key][e.code] ?? ''}
                      onChange={(ev) =>
                        change({ [key]: { ...draft[key], [e.code]: ev.target.value } }, path)
                      }
                      aria-invalid={dimErrors.length > 0 ? true : undefined}
                      data-testid={`harm-${which}-${dimension}-${e.code}`}
                    />
                  </label>
                ))}
              </div>
              <FieldErrors errors={dimErrors} />
            </fieldset>
          );
        })}
      </fieldset>
    );
  };

  const mgrsOfPosition = position ? formatMgrs(position.lon, position.lat) : null;

  return (
    <form
      className="harm-form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-labelledby={`${id}-title`}
      data-testid="harm-report-form"
    >
      <h2 id={`${id}-title`} className="harm-form-title">
        {t('harm.newReport')}
      </h2>
      {filed ? <FiledNotice report={filed} onClose={() => onFiled(null)} search={search} /> : null}

      <fieldset className="field-group">
        <legend>{t('harm.source')}</legend>
        <div className="field-row">
          {select('sourceType', 'harmSourceType', 'harm.sourceType', 'harm-source-type')}
          {select('reliability', 'sourceReliability', 'harm.reliability', 'harm-reliability', true)}
        </div>
        <div className="field-row">
          {text('sourceName', 'harm.sourceName', 'harm-source-name', {
            required: true,
            hint: t('harm.sourceNameHint'),
          })}
          {text('sourceRef', 'harm.sourceRef', 'harm-source-ref')}
        </div>
        {text('receivedAt', 'harm.receivedAt', 'harm-received-at', {
          type: 'datetime-local',
          required: true,
          hint: draft.receivedAt
            ? t('harm.receivedHint', { dtg: formatDtg(`${draft.receivedAt}:00Z`) })
            : undefined,
        })}
        <div
          className={`field harm-sensitive${errors('reporterContact').length ? ' has-error' : ''}`}
        >
          <label htmlFor={`${id}-contact`}>
            {t('harm.reporterContact')}
            <span className="harm-sensitive-tag">{t('harm.needToKnow')}</span>
          </label>
          <textarea
            id={`${id}-contact`}
            className="input textarea"
            rows={2}
            value={draft.reporterContact}
            onChange={(e) => change({ reporterContact: e.target.value }, 'reporterContact')}
            aria-describedby={`${id}-contact-hint`}
            data-testid="harm-reporter-contact"
          />
          <p className="field-hint" id={`${id}-contact-hint`}>
            {t('harm.reporterContactHint')}
          </p>
        </div>
      </fieldset>

      <fieldset className="field-group" data-testid="harm-location">
        <legend>{t('harm.where')}</legend>
        <p className="field-hint">{t('harm.whereHint')}</p>
        <div className="field-row">
          {text('lat', 'harm.lat', 'harm-lat', { errorPath: 'location.lat', type: 'text' })}
          {text('lon', 'harm.lon', 'harm-lon', { errorPath: 'location.lon', type: 'text' })}
        </div>
        {text('mgrs', 'harm.mgrs', 'harm-mgrs', { hint: t('harm.mgrsHint') })}
        <p className="harm-position mono" data-testid="harm-position">
          {position
            ? notation === 'military' && mgrsOfPosition
              ? `${mgrsOfPosition} · ${position.lat.toFixed(5)}, ${position.lon.toFixed(5)}`
              : `${position.lat.toFixed(5)}, ${position.lon.toFixed(5)}${mgrsOfPosition ? ` · ${mgrsOfPosition}` : ''}`
            : t('harm.noPosition')}
        </p>
        {select('precision', 'locationPrecision', 'harm.precision', 'harm-precision')}
        <div className="field-row">
          {text('adminCode', 'harm.adminCode', 'harm-admin-code', {
            errorPath: 'location.adminCode',
          })}
          {text('adminName', 'harm.adminName', 'harm-admin-name', {
            errorPath: 'location.adminName',
          })}
        </div>
        {text('place', 'harm.place', 'harm-place', { errorPath: 'location.place' })}
      </fieldset>

      <fieldset className="field-group">
        <legend>{t('harm.when')}</legend>
        <div className="field-row">
          {text('dateStart', 'harm.dateStart', 'harm-date-start', {
            type: 'date',
            required: true,
            errorPath: 'date.start',
          })}
          {text('dateEnd', 'harm.dateEnd', 'harm-date-end', {
            type: 'date',
            errorPath: 'date.end',
          })}
        </div>
        {select('datePrecision', 'datePrecision', 'harm.datePrecision', 'harm-date-precision')}
        <FieldErrors errors={errors('date').filter((m) => !errors('date.start').includes(m))} />
      </fieldset>

      <fieldset className="field-group">
        <legend>{t('harm.narratives')}</legend>
        <div className="field harm-sensitive">
          <label htmlFor={`${id}-confidential`}>
            {t('harm.confidential')}
            <span className="harm-sensitive-tag">{t('harm.needToKnow')}</span>
          </label>
          <textarea
            id={`${id}-confidential`}
            className="input textarea"
            rows={4}
            value={draft.confidential}
            onChange={(e) => change({ confidential: e.target.value }, 'narrative.confidential')}
            data-testid="harm-confidential"
          />
          <p className="field-hint">{t('harm.confidentialHint')}</p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-releasable`}>
            {t('harm.releasable')}
            <span className="harm-releasable-tag">{t('harm.releasableTag')}</span>
          </label>
          <textarea
            id={`${id}-releasable`}
            className="input textarea"
            rows={3}
            value={draft.releasable}
            onChange={(e) => change({ releasable: e.target.value }, 'narrative.releasable')}
            data-testid="harm-releasable"
          />
          <p className="field-hint">{t('harm.releasableHint')}</p>
        </div>
      </fieldset>

      {estimate('killed')}
      {estimate('injured')}

      <fieldset className="field-group">
        <legend>{t('harm.causeAndParty')}</legend>
        <div className="field-row">
          {select('cause', 'harmCause', 'harm.cause', 'harm-cause')}
          {select('suspectedParty', 'harmParty', 'harm.suspectedParty', 'harm-party')}
        </div>
        <fieldset className="check-group">
          <legend>{t('harm.topics')}</legend>
          <div className="check-grid harm-topics">
            {codeEntries(taxonomies, 'crossCuttingTopic').map((e) => (
              <label key={e.code} className="check" title={e.label}>
                <input
                  type="checkbox"
                  checked={draft.topics.includes(e.code)}
                  onChange={(ev) =>
                    change({
                      topics: ev.target.checked
                        ? [...draft.topics, e.code]
                        : draft.topics.filter((c) => c !== e.code),
                    })
                  }
                  data-testid={`harm-topic-${e.code}`}
                />
                <span>{e.code}</span>
              </label>
            ))}
          </div>
        </fieldset>
      </fieldset>

      <MarkingFields
        me={me}
        marking={draft.marking}
        onChange={(marking) => change({ marking })}
        legend={t('harm.marking')}
        testPrefix="harm"
      />

      {check.warnings.length > 0 ? (
        <ul className="harm-warnings" data-testid="harm-draft-warnings">
          {check.warnings.map((w) => (
            <li key={`${w.code}-${w.path}`}>{t('harm.willWarn', { message: w.message })}</li>
          ))}
        </ul>
      ) : null}
      {problem ? <ProblemCard problem={problem} onDismiss={() => setProblem(null)} /> : null}
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={pending}
          data-testid="harm-submit"
        >
          {pending ? t('harm.filing') : t('harm.file')}
        </button>
        {tried && check.problems.size > 0 ? (
          <span className="field-error" role="status" data-testid="harm-form-invalid">
            {t('harm.fixFields', { count: check.problems.size })}
          </span>
        ) : null}
      </div>
    </form>
  );
}

function Field({
  id,
  label,
  errors,
  required,
  hint,
  children,
}: {
  id: string;
  label: string;
  errors: string[];
  required?: boolean | undefined;
  hint?: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className={`field${errors.length > 0 ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required ? (
          <span className="required-mark" aria-hidden="true">
            {' *'}
          </span>
        ) : null}
      </label>
      {children}
      {hint ? <p className="field-hint">{hint}</p> : null}
      <FieldErrors errors={errors} />
    </div>
  );
}

function FieldErrors({ errors }: { errors: string[] }) {
  return (
    <>
      {errors.map((message) => (
        <p className="field-error" data-testid="field-error" key={message}>
          {message}
        </p>
      ))}
    </>
  );
}

/** The report just filed: its incident, and the warnings the API recorded on it. */
function FiledNotice({
  report,
  onClose,
  search,
}: {
  report: HarmReport;
  onClose: () => void;
  search: string;
}) {
  return (
    <section className="harm-filed" role="status" data-testid="harm-filed">
      <p>
        <strong>{t('harm.filed')}</strong>{' '}
        <Link
          to={`/track/incidents/${encodeURIComponent(report.incidentId)}${search}`}
          data-testid="harm-filed-incident"
        >
          {t('harm.openIncident')}
        </Link>
      </p>
      {report.warnings.length > 0 ? (
        <>
          <p>{t('harm.filedWarnings', { count: report.warnings.length })}</p>
          <ul className="harm-warnings" data-testid="harm-filed-warnings">
            {report.warnings.map((w) => (
              <li key={`${w.code}-${w.path}`}>
                <span className="mono">{w.path}</span> {w.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <button type="button" className="button button-small button-quiet" onClick={onClose}>
        {t('problem.dismiss')}
      </button>
    </section>
  );
}
