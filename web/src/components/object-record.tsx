// A protected object's record beside the map: its names in both scripts, category and legal
// basis, list and restriction, standoff buffer, position, own marking, source and version, and a
// History tab with every audited change. Users who may change objects can put an object on the
// no-strike list or take it off its list from here.
import { useState } from 'react';
import { useSettings, useTaxonomies } from '../app-context.js';
import { apiSend, showProblem, toProblem } from '../api.js';
import type { Me, ObjectHistoryEntry, ProtectedObject } from '../contract.js';
import { formatLatLon, formatMgrs } from '../format.js';
import { formatNumber, t } from '../i18n.js';
import { can } from '../session.js';
import { codeLabel } from '../taxonomy-labels.js';
import { useApi } from '../use-api.js';
import { ObjectSymbol } from './object-symbols.js';
import { ProblemCard } from './problem-notice.js';
import { RecordPanel } from './record-panel.js';
import type { RecordField } from './record-panel.js';
import { actorName, useWhen } from '../people.js';

export interface ObjectRecordProps {
  me: Me;
  object: ProtectedObject;
  onClose: () => void;
  onZoom: () => void;
  /** Called with the object as the server returned it after a change. */
  onChanged: (object: ProtectedObject) => void;
}

/**
 * @example <ObjectRecord me={me} object={o} onClose={close} onZoom={zoom} onChanged={reload} />
 */
export function ObjectRecord({ me, object, onClose, onZoom, onChanged }: ObjectRecordProps) {
  const taxonomies = useTaxonomies();
  const { notation } = useSettings();
  const when = useWhen();
  const [busy, setBusy] = useState(false);
  const [lon, lat] = object.centroid;
  const mgrs = formatMgrs(lon, lat, 5) ?? object.mgrs;
  const position: RecordField[] = [
    ...(mgrs ? [{ label: t('record.mgrs'), value: mgrs, mono: true }] : []),
    { label: t('record.latLon'), value: formatLatLon(lon, lat), mono: true },
  ];
  const fields: RecordField[] = [
    {
      label: t('object.nameLatin'),
      value: object.nameLatin ?? t('table.noValue'),
    },
    {
      label: t('object.category'),
      value: (
        <span className="category-cell">
          <ObjectSymbol category={object.category} />
          {codeLabel(taxonomies, 'objectCategory', object.category)}
        </span>
      ),
    },
    {
      label: t('object.protection'),
      value: codeLabel(taxonomies, 'protectionBasis', object.protection),
    },
    {
      label: t('object.list'),
      value: object.list ? (
        <span className={`list-tag list-${object.list}`}>
          {codeLabel(taxonomies, 'listKind', object.list)}
        </span>
      ) : (
        t('object.notListed')
      ),
    },
    ...(object.list === 'RTL' || object.restriction
      ? [{ label: t('object.restriction'), value: object.restriction ?? t('table.noValue') }]
      : []),
    {
      label: t('object.buffer'),
      value: t('object.metres', { metres: formatNumber(object.bufferMetres) }),
    },
    ...(notation === 'military' ? position : [...position].reverse()),
    {
      label: t('object.source'),
      value: (
        <>
          {object.source} <span className="mono">{object.sourceRef}</span>
        </>
      ),
    },
    {
      label: t('object.version'),
      value: t('object.versionValue', {
        version: object.version,
        at: when(object.updatedAt),
      }),
    },
    ...(object.topics.length > 0
      ? [
          {
            label: t('record.topics'),
            value: object.topics
              .map((topic) => codeLabel(taxonomies, 'crossCuttingTopic', topic))
              .join(', '),
          },
        ]
      : []),
  ];

  const setList = async (list: 'NSL' | null) => {
    setBusy(true);
    try {
      const changed = await apiSend<ProtectedObject>(
        'PATCH',
        `/api/objects/${encodeURIComponent(object.id)}`,
        { list, restriction: null },
      );
      onChanged(changed);
    } catch (error) {
      showProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  };
  const mayUpdate = can(me, 'protected_object', 'update');
  const actions = mayUpdate ? (
    <>
      {object.list !== 'NSL' ? (
        <button
          type="button"
          className="button button-small"
          disabled={busy}
          onClick={() => void setList('NSL')}
          data-testid="object-put-on-nsl"
        >
          {t('object.putOnNsl')}
        </button>
      ) : null}
      {object.list ? (
        <button
          type="button"
          className="button button-small"
          disabled={busy}
          onClick={() => void setList(null)}
          data-testid="object-take-off-list"
        >
          {t('object.takeOffList')}
        </button>
      ) : null}
    </>
  ) : null;

  return (
    <RecordPanel
      kind={t('object.kind')}
      title={object.name}
      marking={object.marking}
      exercise={false}
      markingTitle={t('object.ownMarking')}
      fields={fields}
      onClose={onClose}
      onZoom={onZoom}
      actions={actions}
      history={() => <ObjectHistory me={me} object={object} />}
    />
  );
}

/** The audited changes of an object, newest first, ending with its creation. */
function ObjectHistory({ me, object }: { me: Me; object: ProtectedObject }) {
  const when = useWhen();
  // Keyed by version: a change made here shows in the history at once.
  const history = useApi<ObjectHistoryEntry[]>(
    `/api/objects/${encodeURIComponent(object.id)}/history`,
    { v: object.version },
    false,
  );
  if (history.problem) return <ProblemCard problem={history.problem} />;
  if (!history.data) return <p className="muted">{t('app.loading')}</p>;
  const events = [...history.data].reverse();
  const created = events.some((e) => e.action === 'object.create');
  return (
    <ol className="history-list" data-testid="record-history">
      {events.map((event) => (
        <li key={event.seq} data-action={event.action}>
          <span className="history-when mono">{when(event.at)}</span>
          <span className="history-what">
            <strong>{actionLabel(event.action)}</strong>
            {historyDetail(event)}
          </span>
          <span className="history-who">{actorName(me, event.actor)}</span>
        </li>
      ))}
      {created ? null : (
        <li data-action="created">
          <span className="history-when mono">{when(object.createdAt)}</span>
          <span className="history-what">
            <strong>{t('history.created')}</strong>
            {t('history.createdDetail', { source: object.source })}
          </span>
          <span className="history-who">{actorName(me, object.createdBy)}</span>
        </li>
      )}
    </ol>
  );
}

function actionLabel(action: string): string {
  switch (action) {
    case 'object.create':
      return t('history.created');
    case 'object.update':
      return t('history.updated');
    case 'object.delete':
      return t('history.deleted');
    default:
      return action;
  }
}

function historyDetail(event: ObjectHistoryEntry): string {
  const fields = event.detail.fields;
  const version = event.detail.version;
  const parts: string[] = [];
  if (Array.isArray(fields) && fields.length > 0) {
    parts.push(t('history.fields', { fields: fields.map(String).join(', ') }));
  }
  if (typeof version === 'number') parts.push(t('history.version', { version }));
  return parts.length > 0 ? ` · ${parts.join(' · ')}` : '';
}
