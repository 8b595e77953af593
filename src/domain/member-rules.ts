import { MemberRole, MemberStatus } from './enums';
import { DomainError, ErrorCode, invalidInput } from './errors';
import {
  MEMBER_FIELD_LIST,
  type MemberFieldSpec,
  type MemberProfileValues,
  type OptionalMemberField,
  type RequiredMemberField,
} from './member-fields';

/**
 * The profile a writer gives (admin console and SCIM write the same fields): the required fields always, the others
 * when it knows them; an absent one is left as it is.
 */
export type MemberProfile = Pick<MemberProfileValues, RequiredMemberField> &
  Partial<Pick<MemberProfileValues, OptionalMemberField>>;

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

const FIELDS: ReadonlyMap<string, MemberFieldSpec> = new Map(MEMBER_FIELD_LIST.map((f) => [f.id, f]));

/** Drops undefined keys so that assign() leaves the absent attributes alone; trims strings. */
export function cleanProfile(profile: Partial<MemberProfile> | undefined): Partial<MemberProfile> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(profile ?? {})) {
    if (v === undefined) continue;
    if (typeof v === 'string') {
      const trimmed = v.trim();
      const field = FIELDS.get(k);
      if (field?.required && !trimmed) throw invalidInput(`${k} must not be empty`, k);
      const max = field?.length;
      if (max !== undefined && trimmed.length > max) throw invalidInput(`${k} is longer than ${max} characters`, k);
      out[k] = trimmed === '' && !field?.required ? null : trimmed;
    } else out[k] = v;
  }
  return out as Partial<MemberProfile>;
}
