import { Fragment, useId } from 'react';
import { formatDateTime } from '../../format';
import type { Member } from './queries';

type Profile = Pick<Member, 'title' | 'phoneNumbers' | 'enterprise' | 'lastProvisionedAt' | 'lastScimError'>;

const present = (value: string | null | undefined): value is string => !!value?.trim();

const phoneText = (p: NonNullable<Profile['phoneNumbers']>[number]) => {
  const notes = [p.type, p.primary ? 'primary' : null].filter(Boolean);
  return notes.length ? `${p.value} (${notes.join(', ')})` : p.value;
};

const scimErrorText = (e: NonNullable<Profile['lastScimError']>) =>
  `${e.status}${e.message ? ` ${e.message}` : ''} (${formatDateTime(e.at)})`;

/**
 * The profile an identity provider sent, label by label, and how its provisioning went (last success, last
 * error); a field left empty is not listed. The API leaves the
 * profile out (null) for a viewer without manageUsers.
 */
export function profileEntries(m: Profile): [label: string, value: string][] {
  const phones = (m.phoneNumbers ?? []).filter((p) => present(p.value)).map(phoneText);
  const e = m.enterprise;
  const entries: [string, string | null | undefined][] = [
    ['Job title', m.title],
    ['Phone', phones.join('; ')],
    ['Employee number', e?.employeeNumber],
    ['Department', e?.department],
    ['Organization', e?.organization],
    ['Cost center', e?.costCenter],
    ['Manager ID', e?.managerId],
    ['Last provisioned', m.lastProvisionedAt && formatDateTime(m.lastProvisionedAt)],
    ['Last SCIM error', m.lastScimError && scimErrorText(m.lastScimError)],
  ];
  return entries.filter((x): x is [string, string] => present(x[1]));
}

/** A member's profile as a description list; each value is labelled by its term, for assistive technology. */
export function MemberProfile({ entries }: { entries: [string, string][] }) {
  const id = useId();
  return (
    <dl className="member-profile">
      {entries.map(([label, value], i) => (
        <Fragment key={label}>
          <dt id={`${id}-${i}`}>{label}</dt>
          <dd aria-labelledby={`${id}-${i}`}>{value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}
