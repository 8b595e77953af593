import { SAFEGUARD_DEFAULTS, assertSafeguardSettings, mustHold } from '../../src/domain/deprovisioning-safeguard';
import { DomainError, ErrorCode } from '../../src/domain/errors';

const refusal = (settings: Parameters<typeof assertSafeguardSettings>[0]) => {
  try {
    assertSafeguardSettings(settings);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return [(err as DomainError).code, (err as DomainError).field];
  }
};

describe('deprovisioning safeguard rules', () => {
  it('holds from the threshold on, only when enabled', () => {
    expect(SAFEGUARD_DEFAULTS).toEqual({ enabled: true, threshold: 50, windowMinutes: 60 });
    const three = { enabled: true, threshold: 3, windowMinutes: 60 };
    expect([0, 1, 2, 3, 4].map((applied) => mustHold(three, applied))).toEqual([false, false, false, true, true]);
    expect(mustHold({ ...three, enabled: false }, 100)).toBe(false);
  });

  it.each([
    [{ threshold: 1 }, null],
    [{ threshold: 10_000, windowMinutes: 10_080 }, null],
    [{ windowMinutes: 1 }, null],
    [{}, null],
    [{ threshold: 0 }, [ErrorCode.INVALID_INPUT, 'deprovisioningSafeguard.threshold']],
    [{ threshold: 10_001 }, [ErrorCode.INVALID_INPUT, 'deprovisioningSafeguard.threshold']],
    [{ threshold: 2.5 }, [ErrorCode.INVALID_INPUT, 'deprovisioningSafeguard.threshold']],
    [{ windowMinutes: 0 }, [ErrorCode.INVALID_INPUT, 'deprovisioningSafeguard.windowMinutes']],
    [{ windowMinutes: 10_081 }, [ErrorCode.INVALID_INPUT, 'deprovisioningSafeguard.windowMinutes']],
  ])('settings %j: %j', (settings, expected) => {
    expect(refusal(settings)).toEqual(expected);
  });
});
