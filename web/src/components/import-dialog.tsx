// Importing protected objects from a file: GeoJSON, NDJSON, CSV with HXL hashtags, KML or
// OpenStreetMap (XML or PBF). The format is guessed from the file name; every object can be put
// on the NSL or the RTL (with its restriction). A dry run reports what would happen and writes
// nothing; an import with any bad item writes nothing either and lists every bad item with its
// feature index, line and field, so the file can be fixed in one pass.
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { apiUpload, showProblem, toProblem } from '../api.js';
import type { ImportReport } from '../contract.js';
import { formatNumber, t } from '../i18n.js';
import { formatOfFileName, importFormats, isImportReport } from '../register-data.js';
import type { ImportFormat } from '../register-data.js';

export interface ImportDialogProps {
  open: boolean;
  onClose: () => void;
  /** Called after an import that wrote objects, so the register is loaded again. */
  onImported: (report: ImportReport) => void;
}

type ListChoice = 'none' | 'NSL' | 'RTL';

/** Longest restriction text the API accepts. */
const restrictionMax = 2000;

/**
 * A modal dialog (`data-testid="import-dialog"`); the caller opens it with `import-open`.
 *
 * @example <ImportDialog open={open} onClose={() => setOpen(false)} onImported={reload} />
 */
export function ImportDialog({ open, onClose, onImported }: ImportDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const formId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<ImportFormat | ''>('');
  const [list, setList] = useState<ListChoice>('NSL');
  const [restriction, setRestriction] = useState('');
  const [source, setSource] = useState('');
  const [dryRun, setDryRun] = useState(true);
  const [pending, setPending] = useState(false);
  const [tried, setTried] = useState(false);
  const [result, setResult] = useState<{ status: number; report: ImportReport } | null>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const errors = {
    file: file ? null : t('import.fileRequired'),
    format: format ? null : t('import.formatRequired'),
    restriction:
      list === 'RTL' && restriction.trim() === ''
        ? t('import.restrictionRequired')
        : restriction.length > restrictionMax
          ? t('factorForm.tooLong', { count: restriction.length, max: restrictionMax })
          : null,
  };
  const valid = !errors.file && !errors.format && !errors.restriction;

  const chooseFile = (chosen: File | null) => {
    setFile(chosen);
    setResult(null);
    if (chosen) setFormat(formatOfFileName(chosen.name) ?? '');
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!valid || !file || !format) return;
    setPending(true);
    setResult(null);
    try {
      const { status, body } = await apiUpload<unknown>(
        '/api/objects/import',
        file,
        importFormats[format],
        {
          query: {
            format,
            list: list === 'none' ? undefined : list,
            restriction: list === 'RTL' ? restriction.trim() : undefined,
            source: source.trim() || undefined,
            dryRun: dryRun ? 'true' : 'false',
          },
          dataStatuses: [422],
        },
      );
      if (!isImportReport(body)) throw new Error(t('import.unreadable'));
      setResult({ status, report: body });
      if (body.written) onImported(body);
    } catch (error) {
      showProblem(toProblem(error));
    } finally {
      setPending(false);
    }
  };

  const show = (field: keyof typeof errors) => (tried ? errors[field] : null);

  return (
    <dialog
      ref={dialogRef}
      className="dialog import-dialog"
      aria-labelledby={`${formId}-title`}
      onClose={onClose}
      data-testid="import-dialog"
    >
      <form className="dialog-form" onSubmit={(event) => void submit(event)} noValidate>
        <header className="dialog-header">
          <h2 id={`${formId}-title`}>{t('import.title')}</h2>
          <button
            type="button"
            className="button button-small button-icon"
            onClick={onClose}
            aria-label={t('import.close')}
            title={t('import.close')}
            data-testid="import-close"
          >
            <svg viewBox="0 0 12 12" aria-hidden="true">
              <path d="M2 2l8 8M10 2l-8 8" />
            </svg>
          </button>
        </header>
        <p className="form-note">{t('import.note')}</p>

        <div className={`field${show('file') ? ' has-error' : ''}`}>
          <label htmlFor={`${formId}-file`}>{t('import.file')}</label>
          <input
            id={`${formId}-file`}
            type="file"
            className="input input-file"
            accept=".geojson,.json,.ndjson,.jsonl,.csv,.kml,.osm,.pbf"
            aria-invalid={show('file') ? true : undefined}
            aria-describedby={show('file') ? `${formId}-file-error` : undefined}
            onChange={(event) => chooseFile(event.target.files?.[0] ?? null)}
            data-testid="import-file"
          />
          {show('file') ? (
            <span id={`${formId}-file-error`} className="field-error" data-testid="field-error">
              {show('file')}
            </span>
          ) : null}
        </div>

        <div className="field-row">
          <div className={`field${show('format') ? ' has-error' : ''}`}>
            <label htmlFor={`${formId}-format`}>{t('import.format')}</label>
            <select
              id={`${formId}-format`}
              className="input"
              value={format}
              onChange={(event) => setFormat(event.target.value as ImportFormat | '')}
              aria-invalid={show('format') ? true : undefined}
              data-testid="import-format"
            >
              <option value="">{t('factorForm.choose')}</option>
              {(Object.keys(importFormats) as ImportFormat[]).map((f) => (
                <option key={f} value={f}>
                  {t(`import.format.${f}`)}
                </option>
              ))}
            </select>
            {show('format') ? (
              <span className="field-error" data-testid="field-error">
                {show('format')}
              </span>
            ) : (
              <span className="field-hint">{t('import.formatHint')}</span>
            )}
          </div>
          <div className="field">
            <label htmlFor={`${formId}-list`}>{t('import.list')}</label>
            <select
              id={`${formId}-list`}
              className="input"
              value={list}
              onChange={(event) => setList(event.target.value as ListChoice)}
              data-testid="import-list"
            >
              <option value="none">{t('import.listNone')}</option>
              <option value="NSL">{t('import.listNsl')}</option>
              <option value="RTL">{t('import.listRtl')}</option>
            </select>
            <span className="field-hint">{t('import.listHint')}</span>
          </div>
        </div>

        {list === 'RTL' ? (
          <div className={`field${show('restriction') ? ' has-error' : ''}`}>
            <label htmlFor={`${formId}-restriction`}>{t('import.restriction')}</label>
            <textarea
              id={`${formId}-restriction`}
              className="input textarea"
              value={restriction}
              rows={2}
              onChange={(event) => setRestriction(event.target.value)}
              aria-invalid={show('restriction') ? true : undefined}
              data-testid="import-restriction"
            />
            {show('restriction') ? (
              <span className="field-error" data-testid="field-error">
                {show('restriction')}
              </span>
            ) : (
              <span className="field-hint">{t('import.restrictionHint')}</span>
            )}
          </div>
        ) : null}

        <div className="field">
          <label htmlFor={`${formId}-source`}>{t('import.source')}</label>
          <input
            id={`${formId}-source`}
            className="input"
            value={source}
            maxLength={100}
            onChange={(event) => setSource(event.target.value)}
            data-testid="import-source"
          />
          <span className="field-hint">{t('import.sourceHint')}</span>
        </div>

        <label className="check">
          <input
            type="checkbox"
            checked={dryRun}
            onChange={(event) => setDryRun(event.target.checked)}
            data-testid="import-dry-run"
          />
          {t('import.dryRun')}
        </label>

        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={pending}
            data-testid="import-submit"
          >
            {pending ? t('import.pending') : dryRun ? t('import.check') : t('import.submit')}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {t('import.done')}
          </button>
        </div>

        <div role="status" aria-live="polite">
          {result ? <ImportReportView status={result.status} report={result.report} /> : null}
        </div>
      </form>
    </dialog>
  );
}

/** What an import did or would do, and every bad item when it stopped. */
function ImportReportView({ status, report }: { status: number; report: ImportReport }) {
  const failed = status === 422 || report.errorCount > 0;
  const summary = failed
    ? t('import.failed', { count: report.errorCount, read: report.read })
    : report.written
      ? t('import.written', {
          read: report.read,
          inserted: report.inserted,
          updated: report.updated,
        })
      : t('import.dryRunResult', {
          read: report.read,
          inserted: report.inserted,
          updated: report.updated,
        });
  return (
    <section
      className={`import-report${failed ? ' is-failed' : report.written ? ' is-written' : ''}`}
      data-testid="import-report"
      data-written={report.written ? 'true' : 'false'}
      data-error-count={report.errorCount}
    >
      <p className="import-summary">{summary}</p>
      {report.errors.length > 0 ? (
        <div className="import-errors-scroll">
          <table className="admin-table import-errors" data-testid="import-errors">
            <caption className="sr-only">{t('import.errorsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col" className="num" title={t('import.itemHint')}>
                  {t('import.item')}
                </th>
                <th scope="col" className="num">
                  {t('import.line')}
                </th>
                <th scope="col">{t('import.field')}</th>
                <th scope="col">{t('import.message')}</th>
              </tr>
            </thead>
            <tbody>
              {report.errors.map((error, index) => (
                <tr key={`${error.index}-${error.field}-${index}`} data-index={error.index}>
                  <td className="num mono">{formatNumber(error.index)}</td>
                  <td className="num mono">
                    {error.line === undefined ? t('table.noValue') : formatNumber(error.line)}
                  </td>
                  <td className="mono">{error.field}</td>
                  <td>{error.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {report.errorCount > report.errors.length ? (
        <p className="form-note">
          {t('import.moreErrors', { shown: report.errors.length, count: report.errorCount })}
        </p>
      ) : null}
    </section>
  );
}
