const RETURN_TO_MAX = 500;

/** Where the browser goes back to after signing in: a path of this site only (never `//host` or a URL). */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > RETURN_TO_MAX) return '/';
  return /^\/(?![/\\])[\x21-\x7e]*$/.test(value) ? value : '/';
}
