import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from 'type-graphql';
import { SignInMethod, sessionExpiresAt } from '../../domain/session-rules';
import { type AccountSessionView } from '../../read-models/session.view';
import { connectionOf } from '../common/connection.type';
import { UserError } from '../common/user-error.type';
import { CreatedByNode } from './created-by.type';

registerEnumType(SignInMethod, {
  name: 'SignInMethod',
  description: 'How a browser session was opened.',
  valuesConfig: {
    EMAIL_LINK: { description: 'A one-time link sent by e-mail.' },
    ACCESS_TOKEN: { description: 'An access token pasted into the console.' },
    OIDC: { description: 'The OpenID Connect identity provider.' },
    INVITATION: { description: 'Accepting an invitation (the token proves the address).' },
  },
});

@ObjectType('Session', { description: "One of the viewer's signed-in browser sessions." })
export class SessionNode {
  @Field(() => ID, { description: 'Id of the session, for sessionRevoke.' })
  id!: string;

  @Field(() => GraphQLISODateTime, { description: 'When the session was opened (signed in).' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When the session was last used (minute resolution).' })
  lastSeenAt!: Date;

  @Field(() => GraphQLISODateTime, {
    description:
      'When the session ends unless used again: 12 hours after its last use, 7 days after sign-in at the latest, and never after the access token it was opened with expires.',
  })
  expiresAt!: Date;

  @Field(() => String, { nullable: true, description: 'The browser that signed in (its User-Agent, truncated).' })
  userAgent!: string | null;

  @Field(() => SignInMethod, { description: 'How the session was opened.' })
  method!: SignInMethod;

  @Field(() => CreatedByNode, {
    description: 'What opened the session; revoking a parent access token ends this session too.',
  })
  createdBy!: CreatedByNode;

  @Field(() => Boolean, { description: 'Whether this is the session the request came with.' })
  current!: boolean;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When the session was revoked (sign-out or sessionRevoke).',
  })
  revokedAt!: Date | null;

  static from(s: AccountSessionView, currentSessionId: string | undefined): SessionNode {
    return Object.assign(new SessionNode(), {
      id: s.id,
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      expiresAt: sessionExpiresAt(s),
      userAgent: s.userAgent,
      method: s.method,
      createdBy: CreatedByNode.from(s.createdBy),
      current: s.id === currentSessionId,
      revokedAt: s.revokedAt,
    });
  }
}

export const SessionConnection = connectionOf(SessionNode, 'Session', 'sessions');

@ObjectType('SessionRevokePayload', { description: 'Result of sessionRevoke.' })
export class SessionRevokePayload {
  @Field(() => SessionNode, { nullable: true, description: 'The revoked session.' })
  session!: SessionNode | null;

  @Field(() => [UserError], { description: 'Why the session was not revoked; empty on success.' })
  userErrors!: UserError[];
}
