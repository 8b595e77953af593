import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { CredentialOrigin } from '../../domain/credential-lineage';
import { type CreatedByView } from '../../read-models/created-by.view';

registerEnumType(CredentialOrigin, {
  name: 'CredentialOrigin',
  description: 'What created an access token or a browser session.',
  valuesConfig: {
    SESSION: { description: 'A browser session (a token made in the console); parentId is the session.' },
    ACCESS_TOKEN: {
      description: 'An access token (a token made with it, or a session opened by pasting it); parentId is the token.',
    },
    OIDC: { description: 'An OpenID Connect sign-in or JWT; no parent is stored.' },
    EMAIL_LINK: { description: 'A one-time sign-in link sent by e-mail; no parent.' },
    INVITATION: { description: 'Accepting an invitation; no parent.' },
    CLI: { description: 'The operator command line (orgctl token create, orgctl org create); no parent.' },
  },
});

@ObjectType('CreatedBy', {
  description:
    'What created a credential. Revoking that parent revokes this credential too, and this credential never lasts longer than it.',
})
export class CreatedByNode {
  @Field(() => CredentialOrigin, { nullable: true, description: 'The kind of origin; null when it was not recorded.' })
  kind!: CredentialOrigin | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The parent session or access token (see kind); null for origins without a stored parent.',
  })
  parentId!: string | null;

  @Field(() => String, {
    description: 'A one-line description for people, e.g. "Session (Firefox …)", "Access token …abcd", "orgctl".',
  })
  label!: string;

  static from(view: CreatedByView): CreatedByNode {
    return Object.assign(new CreatedByNode(), view);
  }
}
