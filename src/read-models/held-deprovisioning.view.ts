import { type MemberRole } from '../domain/enums';
import { type HeldDeprovisioningAction, type HeldDeprovisioningStatus } from '../domain/deprovisioning-safeguard';

/** A deprovisioning the safeguard held: who, what, when, and which identity provider request asked for it. */
export interface HeldDeprovisioningView {
  readonly id: string;
  /** Null once the member was removed by other means. */
  readonly memberId: string | null;
  readonly memberEmail: string;
  readonly memberDisplayName: string | null;
  /** The member's role now (null once removed): who may apply or discard the hold depends on it. */
  readonly memberRole: MemberRole | null;
  readonly action: HeldDeprovisioningAction;
  readonly status: HeldDeprovisioningStatus;
  readonly requestedAt: Date;
  readonly requestId: string | null;
  readonly clientRequestId: string | null;
  readonly apiKeyHint: string | null;
}
