import { type GroupSource } from '../../domain/enums';
import { type Group } from '../../entities';

/** A group as the transports read it (its members are read separately, in batches). */
export interface GroupView {
  readonly id: string;
  readonly organizationId: string;
  readonly displayName: string;
  readonly externalId: string | null;
  /** Pushed by an identity provider (SCIM) or created here. */
  readonly source: GroupSource;
  readonly createdAt: Date;
  /** Also moves when the membership changes. */
  readonly updatedAt: Date;
  /** Optimistic-concurrency version (SCIM ETag). */
  readonly version: number;
}

export function groupView(g: Group): GroupView {
  return {
    id: g.id,
    organizationId: g.organization.id,
    displayName: g.displayName,
    externalId: g.externalId,
    source: g.source,
    createdAt: g.createdAt,
    updatedAt: g.updatedAt,
    version: g.version,
  };
}
