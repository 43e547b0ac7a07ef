// Loading API data into components: one hook that fetches on key change, aborts superseded
// requests, and hands back the problem (also shown in the problem notice) when it fails.
import { useCallback, useEffect, useState } from 'react';
import { apiGet, isAbort, showProblem, toProblem } from './api.js';
import type { Query } from './api.js';
import type { Problem } from './contract.js';
import { useSessionEpoch } from './session.js';

/** The state of one API resource: data once loaded, or the problem that stopped it. */
export interface Resource<T> {
  data: T | null;
  problem: Problem | null;
  loading: boolean;
  /** Fetches the resource again (after a change), keeping the old data on screen meanwhile. */
  reload: () => void;
}

interface Loaded<T> {
  key: string;
  resource: string;
  data: T | null;
  problem: Problem | null;
}

/**
 * GETs `path` (with `query`) whenever either changes; `path: null` loads nothing. A failure is
 * shown in the problem notice unless `notify` is false (for callers that show it in place).
 * Everything is fetched again after a new sign-in, and on `reload()`; meanwhile the data already
 * loaded stays on screen.
 *
 * @example const { data: regions } = useApi<RegionCollection>(`/api/areas/${id}/regions`);
 */
export function useApi<T>(path: string | null, query?: Query, notify = true): Resource<T> {
  const epoch = useSessionEpoch();
  const [nonce, setNonce] = useState(0);
  const resource = path === null ? '' : `${path}?${JSON.stringify(query ?? {})}`;
  const key = resource === '' ? '' : `${epoch}.${nonce}|${resource}`;
  const [loaded, setLoaded] = useState<Loaded<T>>({
    key: '',
    resource: '',
    data: null,
    problem: null,
  });

  useEffect(() => {
    if (key === '') return;
    const target = key.slice(key.indexOf('|') + 1);
    const [requestPath = '', json = '{}'] = target.split(/\?(.*)/s);
    const abort = new AbortController();
    apiGet<T>(requestPath, { query: JSON.parse(json) as Query, signal: abort.signal }).then(
      (data) => setLoaded({ key, resource: target, data, problem: null }),
      (error: unknown) => {
        if (isAbort(error)) return;
        const problem = toProblem(error);
        if (notify) showProblem(problem);
        setLoaded({ key, resource: target, data: null, problem });
      },
    );
    return () => abort.abort();
  }, [key, notify]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const current = loaded.key === key && key !== '';
  const same = loaded.resource === resource && resource !== '';
  return {
    data: same ? loaded.data : null,
    problem: current ? loaded.problem : null,
    loading: key !== '' && !current,
    reload,
  };
}
