import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, GraphQLISODateTime, ID, ObjectType } from 'type-graphql';
import { type AccountEventView } from '../../read-models/log.view';
import { connectionOf } from '../common/connection.type';

@ObjectType('AccountEvent', {
  description: "Something that happened to the viewer's account; only the account itself reads these.",
})
export class AccountEventNode {
  @Field(() => ID, { description: 'Id of the event.' })
  id!: string;

  @Field(() => String, {
    description: 'account.token_created, account.token_revoked, account.signed_in or account.oidc_linked.',
  })
  type!: string;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'Details (a token id and label, a sign-in method, an issuer); never a secret.',
  })
  details!: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'The request id of the request that caused it.' })
  requestId!: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When it happened.' })
  createdAt!: Date;

  static from(e: AccountEventView): AccountEventNode {
    return Object.assign(new AccountEventNode(), {
      id: e.id,
      type: e.type,
      details: e.details,
      requestId: e.requestId,
      createdAt: e.createdAt,
    });
  }
}

export const AccountEventConnection = connectionOf(AccountEventNode, 'AccountEvent', 'account events');
