import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { SESSION_ENDED, signInPath } from '../auth';
import { onSessionEnded } from '../connection';

/**
 * While someone is signed in: a request answered 401 (the session expired or was revoked elsewhere) sends them to
 * sign in again, saying why, and back to the page they were on afterwards.
 */
export function useSessionEndedRedirect(): void {
  const navigate = useNavigate();
  useEffect(() => {
    let sent = false;
    onSessionEnded(() => {
      if (sent) return; // several open queries fail at once: one redirect
      sent = true;
      navigate(signInPath(`${window.location.pathname}${window.location.search}`, SESSION_ENDED), { replace: true });
    });
    return () => onSessionEnded(null);
  }, [navigate]);
}
