import { IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';

@InputType('OrganizationCreateInput', {
  description: 'A new organization; the viewer becomes its first confirmed owner.',
})
export class OrganizationCreateInput {
  @Field(() => String, { description: 'Name of the organization.' })
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @Field(() => Int, { nullable: true, description: 'Seats available; omit for unlimited.' })
  @Min(1)
  @Max(1_000_000)
  seatLimit?: number;
}

@InputType('OrganizationUpdateInput', { description: 'Rename an organization or change its seat limit.' })
export class OrganizationUpdateInput {
  @Field(() => ID, { description: 'The organization.' })
  @IsUUID('all')
  organizationId!: string;

  @Field(() => String, { nullable: true, description: 'New name.' })
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @Field(() => Int, { nullable: true, description: 'New seat limit; an explicit null means unlimited.' })
  @Min(1)
  @Max(1_000_000)
  seatLimit?: number | null;
}
