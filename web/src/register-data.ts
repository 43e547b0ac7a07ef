// The protected-objects register as the Protect page reads it: every object the user may see,
// loaded page by page (the API hands out at most 500 at a time), and shaped for the map. The
// map clusters the objects and the table draws at most 1,000 rows, so the whole register can be
// held in the browser up to a cap; past it, the page says how many were left out.
import { useCallback, useEffect, useState } from 'react';
import type { Feature, FeatureCollection } from 'geojson';
import { apiGet, showProblem, toProblem } from './api.js';
import type {
  ImportReport,
  ObjectCategoryCode,
  Page,
  Problem,
  ProtectedObject,
} from './contract.js';
import { useSessionEpoch } from './session.js';

/** Objects per request: the API's largest page. */
const pageSize = 500;

/** Most objects held in the browser at once. */
export const registerCap = 20_000;

/** The register as loaded: the objects (null until loaded), how many the server holds, any problem. */
export interface RegisterState {
  objects: ProtectedObject[] | null;
  total: number | null;
  problem: Problem | null;
  loading: boolean;
  /** Loads the register again (after an import or a change), keeping the old one on screen. */
  reload: () => void;
}

/**
 * Every protected object the user may see, up to {@link registerCap}. Requests are never
 * aborted: a page left early lets them finish and drops their answers (an aborted request
 * would be a failed request in the browser's log).
 *
 * @example const register = useRegister(can(me, 'protected_object', 'read'));
 */
export function useRegister(enabled: boolean): RegisterState {
  const epoch = useSessionEpoch();
  const [nonce, setNonce] = useState(0);
  const [state, setState] = useState<{
    key: string;
    objects: ProtectedObject[] | null;
    total: number | null;
    problem: Problem | null;
  }>({ key: '', objects: null, total: null, problem: null });
  const key = enabled ? `${epoch}.${nonce}` : '';

  useEffect(() => {
    if (!key) return;
    let current = true;
    const load = async () => {
      const objects: ProtectedObject[] = [];
      let total = 0;
      for (let offset = 0; offset < registerCap; offset += pageSize) {
        const page = await apiGet<Page<ProtectedObject>>('/api/objects', {
          query: { limit: pageSize, offset },
        });
        if (!current) return;
        objects.push(...page.items);
        total = page.total;
        if (page.items.length < pageSize || objects.length >= total) break;
      }
      setState({ key, objects, total, problem: null });
    };
    load().catch((error: unknown) => {
      if (!current) return;
      const problem = toProblem(error);
      showProblem(problem);
      setState((old) => ({ ...old, key, problem }));
    });
    return () => {
      current = false;
    };
  }, [key]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return {
    objects: enabled ? state.objects : null,
    total: enabled ? state.total : null,
    problem: enabled && state.key === key ? state.problem : null,
    loading: enabled && state.key !== key,
    reload,
  };
}

/**
 * The objects as map features: each with its own geometry, and its centroid as `lon`/`lat` for
 * the clustered symbol layer.
 *
 * @example objectFeatures(register.objects ?? []);
 */
export function objectFeatures(objects: readonly ProtectedObject[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: objects.map((o): Feature => ({
      type: 'Feature',
      geometry: o.geometry as Feature['geometry'],
      properties: {
        id: o.id,
        name: o.name,
        category: o.category,
        list: o.list ?? 'none',
        lon: o.centroid[0],
        lat: o.centroid[1],
      },
    })),
  };
}

/** Import formats, and the media type each is sent with. */
export const importFormats = {
  geojson: 'application/geo+json',
  ndjson: 'application/x-ndjson',
  csv: 'text/csv',
  kml: 'application/vnd.google-earth.kml+xml',
  osm: 'application/vnd.openstreetmap.data+xml',
  'osm-pbf': 'application/octet-stream',
} as const;

export type ImportFormat = keyof typeof importFormats;

/**
 * The import format a file name suggests, as the server guesses it; null when it cannot tell.
 *
 * @example formatOfFileName('sites.osm.pbf'); // 'osm-pbf'
 */
export function formatOfFileName(name: string): ImportFormat | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.pbf')) return 'osm-pbf';
  if (lower.endsWith('.osm')) return 'osm';
  if (lower.endsWith('.geojson') || lower.endsWith('.json')) return 'geojson';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.kml')) return 'kml';
  return null;
}

/** Whether a value is an import report (the 200 and 422 answers of an import). */
export function isImportReport(value: unknown): value is ImportReport {
  const v = value as ImportReport | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.read === 'number' &&
    typeof v.errorCount === 'number' &&
    Array.isArray(v.errors)
  );
}

/** One item of a release as its GeoJSON export holds it. */
export interface ReleaseItemProperties {
  id: string;
  name: string;
  name_latin: string | null;
  category: ObjectCategoryCode;
  list: string | null;
  restriction: string | null;
  buffer_m: number;
}

/** A release's items: `GET /api/objects/export?format=geojson&release=<id>`. */
export type ReleaseItems = FeatureCollection<Feature['geometry'], ReleaseItemProperties> & {
  marking?: string;
};
