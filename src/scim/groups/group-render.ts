import { type GroupView as Group } from '../../read-models/group.view';
import { type MemberView as Member } from '../../read-models/member.view';
import { etagOf } from '../protocol/http';
import { GROUP_SCHEMA } from '../protocol/types';

/** RFC 7643 §4.2 Group resource; `members` omitted when not loaded (excludedAttributes=members). */
export function groupResource(group: Group, baseUrl: string, members?: Member[]): Record<string, unknown> {
  return {
    schemas: [GROUP_SCHEMA],
    id: group.id,
    ...(group.externalId != null ? { externalId: group.externalId } : {}),
    displayName: group.displayName,
    ...(members
      ? {
          members: members.map((m) => ({
            value: m.id,
            display: m.displayName ?? m.userName,
            $ref: `${baseUrl}/Users/${m.id}`,
            type: 'User',
          })),
        }
      : {}),
    meta: {
      resourceType: 'Group',
      created: group.createdAt.toISOString(),
      lastModified: group.updatedAt.toISOString(),
      location: `${baseUrl}/Groups/${group.id}`,
      version: etagOf(group.version),
    },
  };
}
