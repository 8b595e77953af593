import { ArrayMaxSize, IsUUID } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';

@InputType('DeprovisioningSafeguardInput', {
  description: 'Change the deprovisioning safeguard; omitted fields keep their value. Needs owner authority.',
})
export class DeprovisioningSafeguardInput {
  @Field(() => Boolean, { nullable: true, description: 'Hold deprovisionings past the threshold.' })
  enabled?: boolean;

  @Field(() => Int, { nullable: true, description: 'Deprovisionings that apply within the window, 1 to 10000.' })
  threshold?: number;

  @Field(() => Int, { nullable: true, description: 'The window in minutes, 1 to 10080 (7 days).' })
  windowMinutes?: number;
}

@InputType('HeldDeprovisioningsDecideInput', {
  description: 'Which held deprovisionings: `ids`, or `all: true` for every one the organization holds.',
})
export class HeldDeprovisioningsDecideInput {
  @Field(() => ID, { description: 'The organization.' })
  @IsUUID('all')
  organizationId!: string;

  @Field(() => [ID], { nullable: true, description: 'The held changes (at most 1000).' })
  @ArrayMaxSize(1000)
  ids?: string[];

  @Field(() => Boolean, { nullable: true, description: 'true: every held change of the organization.' })
  all?: boolean;
}
