// Who and when, as records show them: actors by name where the app knows it (the signed-in
// user), else by a short form of their id; times in the user's notation.
import { useCallback } from 'react';
import { useSettings } from './app-context.js';
import type { Me } from './contract.js';
import { formatDtg, formatIsoMinute } from './format.js';
import { t } from './i18n.js';

/**
 * An actor of an audit event or record: "you (name)" for the signed-in user, else the id (user
 * ids are UUIDs: their first block; system actors keep their name).
 *
 * @example actorName(me, event.actor); // 'you (demo-adviser)' or 'user 3f9a1c2e'
 */
export function actorName(me: Me, actor: string): string {
  if (actor === me.id) return t('people.you', { name: me.username });
  return /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(actor)
    ? t('people.user', { id: actor.slice(0, 8) })
    : actor;
}

/**
 * Formats ISO times in the user's notation: date-time groups (military) or ISO (civil).
 *
 * @example const when = useWhen(); when(release.createdAt); // '091630Z JUL 26'
 */
export function useWhen(): (iso: string | null) => string {
  const { notation } = useSettings();
  return useCallback(
    (iso: string | null) =>
      iso === null
        ? t('table.noValue')
        : notation === 'military'
          ? formatDtg(iso)
          : formatIsoMinute(iso),
    [notation],
  );
}
