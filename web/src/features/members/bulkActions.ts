import type { TypedDocumentNode } from '@apollo/client';
import { graphql } from '../../gql';
import type { MemberRole } from '../../gql/graphql';
import {
  ADD_TO_GROUP,
  type BulkPayload,
  CHANGE_ROLE,
  CONFIRM,
  REINVITE,
  REMOVE,
  RESTORE,
  REVOKE,
  SEND_INVITATION,
} from './queries';

/** The server takes at most this many member ids a call: larger selections go in batches of it. */
export const BATCH_SIZE = 100;

/** Everything a bulk action may ask for in its dialog before it runs. */
export interface BulkOptions {
  reason: string;
  keepRevoked: boolean;
  groupId: string | null;
  role: string | null;
}

/** A dialog's answers before anything is typed or picked. */
export const NO_OPTIONS: BulkOptions = { reason: '', keepRevoked: false, groupId: null, role: null };

/** "1 member", "5 members". */
export const membersCount = (n: number) => `${n} member${n === 1 ? '' : 's'}`;

export type BulkKind =
  'confirm' | 'reinvite' | 'sendInvitation' | 'revoke' | 'restore' | 'remove' | 'addToGroup' | 'changeRole';

interface BulkAction {
  /** The button's verb. */
  label: string;
  /** The dialog's question, about "ada@example.com" or "5 members". */
  title: (whom: string) => string;
  /** What happens, in the dialog (`one`: about a single member). */
  consequence: (whom: string, one: boolean) => string;
  /** What the notice says of the members it changed. */
  done: string;
  danger?: boolean;
  /** What the dialog asks for: a reason (and "Keep revoked"), a group, a role. */
  asks?: 'revoke' | 'group' | 'role';
}

/** "ada@… loses" or "5 members lose". */
const verb = (one: boolean, singular: string, plural: string) => (one ? singular : plural);

export const BULK_ACTIONS: Record<BulkKind, BulkAction> = {
  confirm: {
    label: 'Confirm',
    title: (w) => `Confirm ${w}?`,
    consequence: (w, one) => `${w} ${verb(one, 'gets', 'get')} full access to the organization.`,
    done: 'Confirmed',
  },
  reinvite: {
    label: 'Reinvite',
    title: (w) => `Reinvite ${w}?`,
    consequence: (w, one) => `${w} ${verb(one, 'gets', 'get')} a fresh invitation; earlier links stop working.`,
    done: 'Invitation sent again',
  },
  sendInvitation: {
    label: 'Send invitation',
    title: (w) => `Send the invitation to ${w}?`,
    consequence: (w, one) => `${w} ${verb(one, 'gets', 'get')} an invitation e-mail, each taking a seat.`,
    done: 'Invitation sent',
  },
  revoke: {
    label: 'Revoke access',
    title: (w) => `Revoke access for ${w}?`,
    consequence: (w, one) =>
      `${w} ${verb(one, 'loses', 'lose')} access to the organization at once. You can restore it later.`,
    done: 'Access revoked',
    danger: true,
    asks: 'revoke',
  },
  restore: {
    label: 'Restore access',
    title: (w) => `Restore access for ${w}?`,
    consequence: (w, one) => `${w} ${verb(one, 'gets', 'get')} access back, as before the revocation.`,
    done: 'Access restored',
  },
  remove: {
    label: 'Remove',
    title: (w) => `Remove ${w}?`,
    consequence: (w, one) =>
      `${w} ${verb(one, 'is', 'are')} removed from the organization and its groups. The audit trail keeps what happened.`,
    done: 'Removed',
    danger: true,
  },
  addToGroup: {
    label: 'Add to group',
    title: (w) => `Add ${w} to a group`,
    consequence: () => 'Only groups created here are listed: an identity provider manages its own groups.',
    done: 'Added to the group',
    asks: 'group',
  },
  changeRole: {
    label: 'Change role',
    title: (w) => `Change the role of ${w}`,
    consequence: () => 'Members whose role comes from their groups, or is above yours, keep theirs.',
    done: 'Role changed',
    asks: 'role',
  },
};

/** Any of the bulk member mutations: one input, a MembersPayload in the answer's one field. */
export type BulkMutation = TypedDocumentNode<Record<string, BulkPayload>, { input: unknown }>;

const BY_IDS = { reinvite: REINVITE, sendInvitation: SEND_INVITATION, restore: RESTORE, remove: REMOVE };

/** The mutation and input of one batch of a bulk action. */
export function bulkRequest(
  kind: BulkKind,
  organizationId: string,
  memberIds: string[],
  o: BulkOptions,
): { mutation: unknown; input: unknown } {
  const ids = { organizationId, memberIds };
  switch (kind) {
    case 'confirm':
      return { mutation: CONFIRM, input: { organizationId, members: memberIds.map((memberId) => ({ memberId })) } };
    case 'revoke':
      return { mutation: REVOKE, input: { ...ids, reason: o.reason.trim() || null, keepRevoked: o.keepRevoked } };
    case 'addToGroup':
      return { mutation: ADD_TO_GROUP, input: { ...ids, groupId: o.groupId ?? '' } };
    case 'changeRole':
      return { mutation: CHANGE_ROLE, input: { ...ids, role: (o.role ?? 'USER') as MemberRole } };
    default:
      return { mutation: BY_IDS[kind], input: ids };
  }
}

/** The groups a member can be added to by hand: those created here (an identity provider's are read-only). */
export const ADDABLE_GROUPS = graphql(`
  query AddableGroups($id: ID!, $query: String) {
    organization(id: $id) {
      id
      groups(first: 20, filter: { query: $query }, orderBy: { field: DISPLAY_NAME, direction: ASC }) {
        totalCount
        nodes {
          id
          displayName
          managedBy
        }
      }
    }
  }
`);
