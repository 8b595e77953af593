import { Modal } from '@mantine/core';
import {
  type ReactNode,
  createContext,
  useCallback,
  useContext,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import { type To, UNSAFE_NavigationContext } from 'react-router';
import { DiscardPrompt } from './DiscardPrompt';

/** The forms of the page holding unsaved input, by form, each with what would be lost ("the group name you typed"). */
type Register = (form: string, what: string | null) => void;
const UnsavedContext = createContext<Register | null>(null);

type Go = (to: To, state?: unknown, options?: unknown) => void;

/** The path a navigation goes to (a Link hands the navigator a resolved path, navigate() may hand a string). */
const pathOf = (to: To): string =>
  typeof to === 'string' ? new URL(to, window.location.href).pathname : (to.pathname ?? window.location.pathname);

/**
 * One guard for the whole console, around its pages: while any form holds unsaved input, leaving the page inside
 * the app (a link, a button that navigates) asks first, and reloading or closing the tab gets the browser's own
 * warning. The app's router (a BrowserRouter) has no blocker, and a data router's costs the bundle about 17 kB: the
 * guard wraps the router's navigator instead, through which every Link and navigate() goes.
 */
export function UnsavedChangesProvider({ children }: { children: ReactNode }) {
  // Read when a navigation starts, so a form that just saved (and released its input) navigates at once, before
  // the next render; the state copy renders the prompt and the unload warning.
  const formsRef = useRef(new Map<string, string>());
  const [forms, setForms] = useState<ReadonlyMap<string, string>>(formsRef.current);
  const register = useCallback<Register>((form, what) => {
    const current = formsRef.current;
    if ((current.get(form) ?? null) === what) return;
    const next = new Map(current);
    if (what === null) next.delete(form);
    else next.set(form, what);
    formsRef.current = next;
    setForms(next);
  }, []);
  const dirty = forms.size > 0;

  const { navigator } = useContext(UNSAFE_NavigationContext);
  /** The navigation held until the user chose: discard (it goes on) or keep editing (it is dropped). */
  const [held, setHeld] = useState<(() => void) | null>(null);
  useEffect(() => {
    const nav = navigator as typeof navigator & { push: Go; replace: Go };
    const { push, replace } = nav;
    const guarded =
      (go: Go): Go =>
      (to, state, options) => {
        const next = pathOf(to);
        const leaves =
          next !== window.location.pathname &&
          // The session ended or the viewer signed out: nothing is kept by staying.
          !next.startsWith('/sign-in');
        if (formsRef.current.size > 0 && leaves) setHeld(() => () => go.call(nav, to, state, options));
        else go.call(nav, to, state, options);
      };
    nav.push = guarded(push);
    nav.replace = guarded(replace);
    return () => {
      nav.push = push;
      nav.replace = replace;
    };
  }, [navigator]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = ''; // older browsers show their warning only when this is set
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  const what = [...forms.values()].join(' and ');
  return (
    <UnsavedContext.Provider value={register}>
      {children}
      <Modal
        opened={held !== null}
        onClose={() => setHeld(null)}
        title="Leave this page?"
        centered
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        {held && (
          <DiscardPrompt
            what={what}
            onKeep={() => setHeld(null)}
            onDiscard={() => {
              setHeld(null);
              held();
            }}
          />
        )}
      </Modal>
    </UnsavedContext.Provider>
  );
}

/**
 * A form's unsaved input, guarded: `what` (e.g. "the group name you typed") while the form holds input not saved,
 * null otherwise. Leaving the page asks first (see UnsavedChangesProvider). A dialog's form closes through `guard`:
 * its close button, Escape and a click outside then ask too (`asking`: show a DiscardPrompt with `keep` and `discard`).
 */
export function useUnsavedChanges(what: string | null) {
  const register = useContext(UnsavedContext);
  const form = useId();
  // The input a save just sent: no longer unsaved, though the form may still show it while the page changes.
  const released = useRef<string | null>(null);
  useEffect(() => {
    register?.(form, what !== null && what === released.current ? null : what);
    if (what !== released.current) released.current = null;
  }, [register, form, what]);
  useEffect(() => () => register?.(form, null), [register, form]);
  const [pending, setPending] = useState<(() => void) | null>(null);
  return useMemo(
    () => ({
      asking: pending !== null,
      /** Runs `close` now when nothing would be lost, else once the user chose to discard. */
      guard: (close: () => void) => (what === null ? close() : setPending(() => close)),
      keep: () => setPending(null),
      discard: () => {
        setPending(null);
        pending?.();
      },
      /** The input was saved: a navigation that follows at once is not asked about. */
      release: () => {
        released.current = what;
        register?.(form, null);
      },
    }),
    [what, pending, register, form],
  );
}
