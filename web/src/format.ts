const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

/** "2 minutes ago", "in 3 days". */
export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [unit, size] of units)
    if (Math.abs(seconds) >= size) return relative.format(Math.trunc(seconds / size), unit);
  return Math.abs(seconds) < 10 ? 'just now' : relative.format(seconds, 'second');
}

export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));

const STATUS_LABELS: Record<string, string> = {
  INVITED: 'Invited',
  ACCEPTED: 'Accepted — needs confirmation',
  CONFIRMED: 'Confirmed',
  REVOKED: 'Revoked',
  STAGED: 'Staged',
};
export const statusLabel = (status: string): string => STATUS_LABELS[status] ?? status;

const ROLE_LABELS: Record<string, string> = { OWNER: 'Owner', ADMIN: 'Admin', USER: 'User', CUSTOM: 'Custom' };
export const roleLabel = (role: string): string => ROLE_LABELS[role] ?? role;

export const PROVIDER_LABELS: Record<string, string> = {
  JUMPCLOUD: 'JumpCloud',
  OKTA: 'Okta',
  AZURE_AD: 'Microsoft Entra ID',
  ONELOGIN: 'OneLogin',
  PING: 'Ping Identity',
  GOOGLE: 'Google Workspace',
  RIPPLING: 'Rippling',
  DEFAULT: 'Other (RFC 7644)',
};

const CLIENT_LABELS: Record<string, string> = {
  jumpcloud: 'JumpCloud',
  okta: 'Okta',
  entra: 'Microsoft Entra ID',
  onelogin: 'OneLogin',
  ping: 'Ping Identity',
  google: 'Google Workspace',
  rippling: 'Rippling',
};
/** The identity provider recognised from a SCIM request, for people. */
export const clientLabel = (client: string | null | undefined): string =>
  client ? (CLIENT_LABELS[client] ?? client) : 'an unrecognised client';
