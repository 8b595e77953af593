import { Field, ID, InterfaceType } from 'type-graphql';

/** Relay's Node: every organization, member and group is reachable by its UUID through `node(id:)`. */
@InterfaceType('Node', { description: 'An object with a unique id (a UUID), readable with `node(id:)`.' })
export abstract class Node {
  @Field(() => ID, {
    description: 'The UUID of this object. A member id is its SCIM User id; a group id is its SCIM Group id.',
  })
  id!: string;
}
