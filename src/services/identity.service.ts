import { type Actor } from '../domain/actor';
import { DomainError, ErrorCode } from '../domain/errors';
import { type OidcClaims, type OidcIdentity, oidcIdentity, sameIssuer } from '../domain/oidc';
import { type User } from '../entities';
import { LogRepository } from '../repositories/log.repository';
import { type Page, type PageRequest } from '../repositories/pagination';
import { type Transaction, flush } from '../repositories/unit-of-work';
import { UserRepository } from '../repositories/user.repository';
import { recordAccountEvent } from './account-events';
import { BaseService } from './base';
import { type AccountEventView, accountEventView } from '../read-models/log.view';
import { type UserView, userView } from '../read-models/organization.view';
import { mapPage } from './page';

/**
 * Which account an external identity is. An OIDC identity is the issuer's subject, not its e-mail claim: the first
 * sign-in binds the account with that (verified) e-mail to (issuer, subject), and every later sign-in finds the
 * account by that pair alone, so a changed e-mail at the IdP neither loses the account nor reaches another one.
 */
export class IdentityService extends BaseService {
  async userForOidcClaims(claims: OidcClaims, requestId?: string): Promise<UserView> {
    const claimed = oidcIdentity(claims, { trustUnverifiedEmail: this.deps.config.OIDC_TRUST_UNVERIFIED_EMAIL });
    // The callers verified the token against OIDC_ISSUER; this keeps the rule true whoever calls (rebinding below trusts it).
    const configured = this.deps.config.OIDC_ISSUER;
    if (configured && !sameIssuer(configured, claimed.issuer)) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'the token comes from an issuer this service does not trust');
    }
    // One spelling of the issuer in the binding, whatever trailing slash a token carries.
    const identity = { ...claimed, issuer: configured ?? claimed.issuer };
    try {
      return userView(await this.write((tx) => this.bind(tx, identity, requestId ?? null)));
    } catch (err) {
      // Two first sign-ins at once lose a uniqueness race (e-mail or subject): the loser finds what the winner wrote.
      if (
        err instanceof DomainError &&
        (err.code === ErrorCode.DUPLICATE_EMAIL || err.code === ErrorCode.INVALID_STATE)
      ) {
        return userView(await this.write((tx) => this.bind(tx, identity, requestId ?? null)));
      }
      throw err;
    }
  }

  /** The signed-in account's own events, newest first; there is no way to name another account. */
  async accountEvents(actor: Actor, page: PageRequest): Promise<Page<AccountEventView>> {
    if (actor.kind !== 'USER') throw new DomainError(ErrorCode.FORBIDDEN, 'only a signed-in account reads its events');
    return this.read(async (em) =>
      mapPage(await new LogRepository(em).accountEventPage(actor.userId, page), accountEventView),
    );
  }

  private async bind(tx: Transaction, identity: OidcIdentity, requestId: string | null): Promise<User> {
    const { issuer, subject, email, name } = identity;
    const users = new UserRepository(tx);
    const bound = await users.findByOidcSubject(issuer, subject);
    if (bound) return bound;

    // Locked: two subjects presenting the same e-mail at once must not both bind the account.
    const existing = await users.findByEmail(email, true);
    // A concurrent first sign-in of this same identity committed between the two look-ups: it is this account.
    if (existing?.oidcIssuer === issuer && existing.oidcSubject === subject) return existing;
    if (existing?.oidcIssuer === issuer && existing.oidcSubject) {
      this.deps.logger.warn(
        { userId: existing.id, issuer, subject, requestId },
        'OIDC sign-in refused: the account is bound to another subject',
      );
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        'the account with this e-mail address belongs to another identity at this issuer; sign in as that identity or ask an operator',
      );
    }
    const user = existing ?? users.create(email, name);
    // An account bound at an issuer that is no longer configured is rebound: only the configured issuer is trusted.
    const previousIssuer = existing?.oidcIssuer ?? null;
    user.oidcIssuer = issuer;
    user.oidcSubject = subject;
    await flush(tx);
    recordAccountEvent(
      tx,
      user.id,
      'account.oidc_linked',
      { issuer, subject, accountCreated: !existing, ...(previousIssuer ? { previousIssuer } : {}) },
      requestId,
    );
    return user;
  }
}
