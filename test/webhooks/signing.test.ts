import { describe, expect, it } from 'vitest';
import { checkrSignature, newSecret, standardSignature } from '../../server/webhooks/signing.ts';

/** The test vectors of VENDORS.md "Our own outgoing webhooks". */
describe('webhook signatures', () => {
  it('signs Standard Webhooks as the vector says', () => {
    expect(standardSignature('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('signs X-Checkr-Signature as the vector says', () => {
    expect(checkrSignature('test-secret', '{"monday":"75F","tuesday":"80F"}')).toBe('b7412f05e981a473b5ecbdb5393afaea02a679db6d7c8e56803512ec4ba98151');
  });

  it('makes secrets of 32 random bytes, each its own', () => {
    const a = newSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(newSecret()).not.toBe(a);
  });
});
