// A tiny router over the History API: the URL path picks the page, the query holds shareable state
// (the selected area). No dependency: the app has five pages and one query parameter.
import { useSyncExternalStore } from 'react';

/** Where the app is: the path and the query of the current URL. */
export interface Location {
  path: string;
  search: string;
}

const changeEvent = 'civitas:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(changeEvent, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(changeEvent, onChange);
  };
}

let cached: Location = { path: '', search: '' };
function snapshot(): Location {
  const { pathname, search } = window.location;
  if (cached.path !== pathname || cached.search !== search) cached = { path: pathname, search };
  return cached;
}

/**
 * The current location; re-renders on navigation.
 *
 * @example const { path } = useLocation(); if (path === '/understand') ...
 */
export function useLocation(): Location {
  return useSyncExternalStore(subscribe, snapshot);
}

/**
 * Goes to a URL inside the app without reloading.
 *
 * @example navigate('/protect?area=ao-1');
 */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(changeEvent));
}

/**
 * Sets one query parameter of the current URL (or removes it with `null`), keeping the path.
 *
 * @example setQueryParam('area', 'ao-1');
 */
export function setQueryParam(name: string, value: string | null, replace = true): void {
  const params = new URLSearchParams(window.location.search);
  if (value === null) params.delete(name);
  else params.set(name, value);
  const search = params.toString();
  navigate(`${window.location.pathname}${search ? `?${search}` : ''}`, { replace });
}

/** Reads one query parameter of a location. */
export function queryParam(location: Location, name: string): string | null {
  return new URLSearchParams(location.search).get(name);
}
