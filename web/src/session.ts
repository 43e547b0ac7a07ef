// Who is signed in. The session itself is an httpOnly cookie the browser keeps (the app never
// sees its secret); this module only holds what `GET /api/auth/me` said about the user, and
// switches to the sign-in screen whenever the server answers 401 `unauthenticated`.
import { useSyncExternalStore } from 'react';
import {
  ApiProblem,
  apiGet,
  apiSend,
  dismissAllProblems,
  isUnauthenticated,
  onUnauthenticated,
  toProblem,
} from './api.js';
import type { Me, Problem } from './contract.js';
import { navigate } from './router.js';

/**
 * The session as the app sees it.
 * - `checking`: asking the server who we are (first load).
 * - `signed-in`: `me` is the user. `epoch` counts sign-ins, so data loaded under an earlier
 *   session is fetched again after signing in anew.
 * - `signed-out`: the sign-in screen. `reason` says why; after `expired`, `last` is the user whose
 *   session ended, so their page (and any draft on it) is kept until they sign in again.
 */
export type SessionState =
  | { status: 'checking'; epoch: number }
  | { status: 'signed-in'; me: Me; epoch: number }
  | {
      status: 'signed-out';
      reason: 'none' | 'expired' | 'signed-out';
      last: Me | null;
      problem: Problem | null;
      epoch: number;
    };

let state: SessionState = { status: 'checking', epoch: 0 };
const listeners = new Set<() => void>();

function set(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The session now; re-renders when it changes. */
export function useSession(): SessionState {
  return useSyncExternalStore(subscribe, () => state);
}

/** Counts sign-ins; data hooks include it in their key so they reload after a new sign-in. */
export function useSessionEpoch(): number {
  return useSyncExternalStore(subscribe, () => state.epoch);
}

/** The session's state outside React (for tests and event handlers). */
export function currentSession(): SessionState {
  return state;
}

// Any 401 `unauthenticated` from any request ends the session on screen.
onUnauthenticated(() => {
  if (state.status === 'signed-in') {
    set({
      status: 'signed-out',
      reason: 'expired',
      last: state.me,
      problem: null,
      epoch: state.epoch,
    });
  }
});

/**
 * Asks the server who is signed in (on first load). A 401 shows the sign-in screen; a server that
 * cannot be reached shows it too, with the problem.
 *
 * @example useEffect(() => void checkSession(), []);
 */
export async function checkSession(): Promise<void> {
  try {
    const me = await apiGet<Me>('/api/auth/me');
    // Nothing was loaded under an earlier session yet: no reload needed (and none of the public
    // requests already under way is cut short).
    set({ status: 'signed-in', me, epoch: state.epoch });
  } catch (error) {
    const problem = toProblem(error);
    set({
      status: 'signed-out',
      reason: 'none',
      last: null,
      problem: isUnauthenticated(problem) ? null : problem,
      epoch: state.epoch,
    });
  }
}

/**
 * Signs in. Resolves when signed in; rejects with the server's problem (`sign_in_failed` says
 * the same thing whichever of user name or password was wrong).
 *
 * @example await signIn('demo-adviser', password);
 */
export async function signIn(username: string, password: string): Promise<void> {
  const me = await apiSend<Me>('POST', '/api/auth/sign-in', { username, password });
  if (!me || typeof me !== 'object' || typeof me.id !== 'string') {
    throw new ApiProblem(toProblem(new Error('The sign-in answer held no user.')));
  }
  set({ status: 'signed-in', me, epoch: state.epoch + 1 });
}

/**
 * Signs out of this browser, or of every session of the user (`everywhere`). The screen is
 * cleared whatever the server answers: leaving must never fail.
 *
 * @example await signOut(false);
 */
export async function signOut(everywhere: boolean): Promise<void> {
  let problem: Problem | null = null;
  try {
    await apiSend('POST', everywhere ? '/api/auth/sign-out-everywhere' : '/api/auth/sign-out');
  } catch (error) {
    const p = toProblem(error);
    // Already signed out is what we wanted.
    if (!isUnauthenticated(p)) problem = p;
  }
  dismissAllProblems();
  // The next user starts at home, not on a page of the last user's role.
  navigate('/', { replace: true });
  set({ status: 'signed-out', reason: 'signed-out', last: null, problem, epoch: state.epoch });
}

/**
 * Whether the user's role allows an action on a record type (the server decides; this only
 * decides what to offer).
 *
 * @example can(me, 'factor', 'create')
 */
export function can(me: Me, recordType: string, action: string): boolean {
  return me.permissions.some((p) => p.recordType === recordType && p.action === action);
}
