import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { EventLogQuery } from '../../gql/graphql';

export type Event = NonNullable<NonNullable<EventLogQuery['organization']>['events']>['nodes'][number];

/** What an event's actor did to its target, in words: "{actor} revoked {target}". */
const VERBS: Record<string, string> = {
  'member.invited': 'invited',
  'member.provisioned': 'provisioned',
  'member.reinvited': 'sent a new invitation to',
  'member.confirmed': 'confirmed',
  'member.revoked': 'revoked',
  'member.restored': 'restored',
  'member.restore_held_back': 'was kept from restoring (kept revoked)',
  'member.removed': 'removed',
  'member.updated': 'updated',
  'member.groups_set': 'changed the groups of',
  'member.role_source_set': 'changed where the role comes from for',
  'group.created': 'created the group',
  'group.updated': 'updated the group',
  'group.deleted': 'deleted the group',
  'group.role_mapping_set': 'set the role mapping of the group',
  'group.role_mapping_cleared': 'cleared the role mapping of the group',
};
/** Events about the actor itself, or about the organization: "{actor} accepted the invitation". */
const INTRANSITIVE: Record<string, string> = {
  'member.accepted': 'accepted the invitation',
  'scim.enabled': 'enabled SCIM',
  'scim.disabled': 'disabled SCIM',
  'scim.key_rotated': 'rotated the SCIM key',
  'scim.settings_updated': 'changed the SCIM settings',
  'organization.created': 'created the organization',
  'organization.updated': 'updated the organization',
};

/** The target, linked to the member (found by e-mail on the Members page) or the group while it exists. */
function TargetLink({ orgId, e }: { orgId: string; e: Event }) {
  const t = e.target;
  const label = t.display ?? (t.id ? `${t.type ?? 'item'} ${t.id.slice(0, 8)}…` : (t.type ?? 'something'));
  if (t.type === 'member' && t.member)
    return (
      <Anchor component={Link} to={`/orgs/${orgId}/members?q=${encodeURIComponent(t.member.email)}`} size="sm">
        {label}
      </Anchor>
    );
  if (t.type === 'group' && t.id && e.type !== 'group.deleted')
    return (
      <Anchor component={Link} to={`/orgs/${orgId}/groups/${t.id}`} size="sm">
        {label}
      </Anchor>
    );
  return <>{label}</>;
}

/** "ada@example.com revoked frances@example.com — reason: left the company". */
export function EventSentence({ orgId, e }: { orgId: string; e: Event }) {
  const intransitive = INTRANSITIVE[e.type];
  const verb = VERBS[e.type];
  return (
    <Text size="sm">
      {e.actor.display}{' '}
      {intransitive ?? (
        <>
          {verb ?? `did ${e.type} to`} <TargetLink orgId={orgId} e={e} />
        </>
      )}
      {e.reason ? ` — reason: ${e.reason}` : ''}
    </Text>
  );
}
