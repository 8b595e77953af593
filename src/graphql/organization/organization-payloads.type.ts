import { Field, ObjectType } from 'type-graphql';
import { UserError } from '../common/user-error.type';
import { OrganizationNode } from './organization.type';

@ObjectType('OrganizationPayload', { description: 'Result of organizationCreate or organizationUpdate.' })
export class OrganizationPayload {
  @Field(() => OrganizationNode, {
    nullable: true,
    description: 'The organization after the change; null when it failed.',
  })
  organization!: OrganizationNode | null;

  @Field(() => [UserError], { description: 'Why the change did not happen; empty on success.' })
  userErrors!: UserError[];
}
