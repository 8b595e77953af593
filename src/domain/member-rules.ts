import { MemberRole, MemberStatus } from './enums';
import { DomainError, ErrorCode, invalidInput } from './errors';

/** The profile attributes a member carries (admin console and SCIM write the same ones). */
export interface MemberProfile {
  email: string;
  userName: string;
  givenName: string | null;
  familyName: string | null;
  formattedName: string | null;
  displayName: string | null;
  externalId: string | null;
  emails: { value: string; type?: string; primary?: boolean }[] | null;
  employeeNumber: string | null;
  // Optional: writers that do not know them (the console, the seed) leave them as they are.
  /** Job title. */
  title?: string | null;
  phoneNumbers?: { value: string; type?: string; primary?: boolean }[] | null;
  costCenter?: string | null;
  /** The name of the organization the person belongs to, as the identity provider knows it (not this service's). */
  enterpriseOrganization?: string | null;
  department: string | null;
  manager: string | null;
}

export const SEAT_STATUSES: readonly MemberStatus[] = [
  MemberStatus.INVITED,
  MemberStatus.ACCEPTED,
  MemberStatus.CONFIRMED,
];

export const occupiesSeat = (status: MemberStatus): boolean => SEAT_STATUSES.includes(status);

export const isConfirmedOwner = (m: { role: MemberRole; status: MemberStatus }): boolean =>
  m.role === MemberRole.OWNER && m.status === MemberStatus.CONFIRMED;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const looksLikeEmail = (value: string): boolean => value.length <= 320 && EMAIL.test(value);

export function normalizeEmail(value: string, field = 'email'): string {
  const email = value.trim();
  if (!looksLikeEmail(email))
    throw new DomainError(ErrorCode.INVALID_INPUT, `"${email.slice(0, 100)}" is not a valid email address`, field);
  return email;
}

/** The member lifecycle: which transitions an action may make. */
export function assertTransition(
  action: 'accept' | 'confirm' | 'revoke' | 'restore' | 'reinvite' | 'invite',
  from: MemberStatus,
): void {
  const allowed: Record<typeof action, MemberStatus[]> = {
    invite: [MemberStatus.STAGED],
    reinvite: [MemberStatus.INVITED],
    accept: [MemberStatus.INVITED],
    confirm: [MemberStatus.ACCEPTED],
    revoke: [MemberStatus.STAGED, MemberStatus.INVITED, MemberStatus.ACCEPTED, MemberStatus.CONFIRMED],
    restore: [MemberStatus.REVOKED],
  };
  if (!allowed[action].includes(from)) {
    throw new DomainError(ErrorCode.INVALID_STATE, `cannot ${action} a member whose status is ${from}`);
  }
}

/** The column sizes of the member table (migrations): longer input is the caller's mistake, not a database error. */
const PROFILE_MAX_LENGTH: Partial<Record<keyof MemberProfile, number>> = {
  email: 320,
  userName: 320,
  givenName: 200,
  familyName: 200,
  formattedName: 400,
  displayName: 400,
  externalId: 400,
  title: 200,
  employeeNumber: 200,
  costCenter: 200,
  enterpriseOrganization: 200,
  department: 200,
  manager: 400,
};

/** Drops undefined keys so that assign() leaves the absent attributes alone; trims strings. */
export function cleanProfile(profile: Partial<MemberProfile> | undefined): Partial<MemberProfile> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(profile ?? {})) {
    if (v === undefined) continue;
    if (typeof v === 'string') {
      const trimmed = v.trim();
      if ((k === 'email' || k === 'userName') && !trimmed) throw invalidInput(`${k} must not be empty`, k);
      const max = PROFILE_MAX_LENGTH[k as keyof MemberProfile];
      if (max !== undefined && trimmed.length > max) throw invalidInput(`${k} is longer than ${max} characters`, k);
      out[k] = trimmed === '' && k !== 'email' && k !== 'userName' ? null : trimmed;
    } else out[k] = v;
  }
  return out as Partial<MemberProfile>;
}
