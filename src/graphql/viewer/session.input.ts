import { IsUUID } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType('SessionRevokeInput', { description: "Revoke one of the viewer's browser sessions." })
export class SessionRevokeInput {
  @Field(() => ID, { description: 'Id of the session (viewer.sessions).' })
  @IsUUID('all')
  id!: string;
}
