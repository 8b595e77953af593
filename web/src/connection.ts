import { useSyncExternalStore } from 'react';

/*
 * What the console knows about its link to the server, outside React so the Apollo link can report to it: whether
 * the server answers at all, and what to do when the session ends under the person.
 */

let unreachable = false;
const listeners = new Set<() => void>();

/** The server answered (true) or could not be reached (false); the banner follows. */
export function reportReachable(reachable: boolean): void {
  if (unreachable === !reachable) return;
  unreachable = !reachable;
  for (const l of listeners) l();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** Whether the last request failed to reach the server (no answer, or a gateway's 502/503/504). */
export const useUnreachable = (): boolean => useSyncExternalStore(subscribe, () => unreachable);

let sessionEnded: (() => void) | null = null;

/** Set while someone is signed in: called when a request answers 401 (the session expired or was revoked). */
export function onSessionEnded(handler: (() => void) | null): void {
  sessionEnded = handler;
}

export function reportSessionEnded(): void {
  sessionEnded?.();
}
