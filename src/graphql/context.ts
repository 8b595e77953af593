import { type Services } from '../services/services';
import { type Actor } from '../domain/actor';
import { Loaders } from './common/loaders';
import { forgetReadRights, rememberReadRights } from '../services/access';

/** Every GraphQL request acts as a signed-in user (an access token or an OIDC login maps to one). */
export type UserActor = Extract<Actor, { kind: 'USER' }>;

export interface GraphQLContext {
  actor: UserActor;
  services: Services;
  requestId: string;
  loaders: Loaders;
  /** Called after each write, so that what the mutation's payload reads is not a pre-write cached value. */
  afterWrite(): void;
  /** The viewer's rights are read again by every service call from now on (any operation but a query). */
  forgetReadRights(): void;
}

export function createContext(services: Services, given: UserActor, requestId: string): GraphQLContext {
  // This request's own actor: the reads of its fields check the viewer's rights once per organization.
  const actor = { ...given };
  rememberReadRights(actor);
  const context: GraphQLContext = {
    actor,
    services,
    requestId,
    loaders: new Loaders(services, actor),
    afterWrite() {
      forgetReadRights(actor);
      context.loaders = new Loaders(services, actor);
    },
    forgetReadRights: () => forgetReadRights(actor),
  };
  return context;
}
