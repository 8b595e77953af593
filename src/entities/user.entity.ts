import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property, OptionalProps, Unique } from '@mikro-orm/core';

/**
 * An account. Email is unique case-insensitively (expression index). An OIDC sign-in binds the account to the
 * issuer's subject once; afterwards that pair, not the e-mail claim, finds it (an IdP's e-mail may change).
 */
@Entity({ tableName: 'app_user' })
@Index({
  name: 'app_user_email_lower_unique',
  expression: 'create unique index "app_user_email_lower_unique" on "app_user" (lower("email"))',
})
@Unique({ name: 'app_user_oidc_subject_unique', properties: ['oidcIssuer', 'oidcSubject'] })
export class User {
  [OptionalProps]?: 'name' | 'createdAt' | 'oidcIssuer' | 'oidcSubject';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 320 })
  email!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  name: string | null = null;

  /** The OIDC issuer the account is bound to (with oidcSubject), null until its first OIDC sign-in. */
  @Property({ type: 'string', length: 500, nullable: true })
  oidcIssuer: string | null = null;

  /** The issuer's `sub` claim: stable for the person at that issuer, unlike the e-mail. */
  @Property({ type: 'string', length: 255, nullable: true })
  oidcSubject: string | null = null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
