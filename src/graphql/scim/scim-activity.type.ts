import { Field, GraphQLISODateTime, Int, ObjectType, registerEnumType } from 'type-graphql';
import { type ScimRequestStatsView } from '../../read-models/scim-activity.view';

export enum ScimConnectionState {
  WAITING_FOR_FIRST_REQUEST = 'WAITING_FOR_FIRST_REQUEST',
  CONNECTED = 'CONNECTED',
}

registerEnumType(ScimConnectionState, {
  name: 'ScimConnectionState',
  description: 'Whether the identity provider has reached the SCIM endpoint with a working key.',
  valuesConfig: {
    WAITING_FOR_FIRST_REQUEST: { description: 'No request with a working key has arrived yet.' },
    CONNECTED: { description: 'Requests arrive with a working key; lastRequestAt is the latest.' },
  },
});

@ObjectType('ScimClientActivity', { description: "One client's last successful SCIM request." })
export class ScimClientActivity {
  @Field(() => String, { description: 'The client, e.g. "JumpCloud" (the provider configured for its key).' })
  name!: string;

  @Field(() => GraphQLISODateTime, { description: 'When its last successful request arrived.' })
  lastSuccessAt!: Date;
}

@ObjectType('ScimRequestStats', {
  description:
    'The figures above the provisioning log: "Last successful request from JumpCloud 2 min ago · 3 failures in the last hour".',
})
export class ScimRequestStats {
  @Field(() => ScimConnectionState, { description: "The set-up guide's state: waiting, or connected." })
  connection!: ScimConnectionState;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'The last request that came with a working key, whatever its status; null while waiting.',
  })
  lastRequestAt!: Date | null;

  @Field(() => [ScimClientActivity], { description: "Each client's last successful request, the latest first." })
  clients!: ScimClientActivity[];

  @Field(() => Int, { description: 'Requests with a working key that failed (status 400 or above) in the last hour.' })
  failuresLastHour!: number;

  @Field(() => Int, {
    description:
      'Requests refused for their key in the last hour, counted apart from the failures (at most one a minute is logged).',
  })
  rejectedKeysLastHour!: number;

  static from(view: ScimRequestStatsView): ScimRequestStats {
    return Object.assign(new ScimRequestStats(), {
      connection: view.connection as ScimConnectionState,
      lastRequestAt: view.lastRequestAt,
      clients: view.clients.map((c) => Object.assign(new ScimClientActivity(), c)),
      failuresLastHour: view.failures,
      rejectedKeysLastHour: view.rejectedKeys,
    });
  }
}
