import { type Services } from '../services/services';
import { type Actor } from '../domain/actor';
import { Loaders } from './common/loaders';

/** Every GraphQL request acts as a signed-in user (an access token or an OIDC login maps to one). */
export type UserActor = Extract<Actor, { kind: 'USER' }>;

export interface GraphQLContext {
  actor: UserActor;
  services: Services;
  requestId: string;
  loaders: Loaders;
  /** Called after each write, so that what the mutation's payload reads is not a pre-write cached value. */
  afterWrite(): void;
}

export function createContext(services: Services, actor: UserActor, requestId: string): GraphQLContext {
  const context: GraphQLContext = {
    actor,
    services,
    requestId,
    loaders: new Loaders(services, actor),
    afterWrite() {
      context.loaders = new Loaders(services, actor);
    },
  };
  return context;
}
