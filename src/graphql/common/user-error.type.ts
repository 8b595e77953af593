import { Field, ObjectType } from 'type-graphql';
import { ErrorCode } from '../../domain/errors';
import './enums';

@ObjectType('UserError', {
  description: 'A business reason why a mutation, or one item of a bulk mutation, did not happen.',
})
export class UserError {
  @Field(() => ErrorCode, { description: 'Machine-readable reason.' })
  code!: ErrorCode;

  @Field(() => String, { description: 'Human-readable explanation.' })
  message!: string;

  @Field(() => String, { nullable: true, description: 'The input field concerned, e.g. `memberIds[2]` or `token`.' })
  field!: string | null;
}
