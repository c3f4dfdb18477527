import { classifyOwnAddress, replyAddress } from '../../shared/domain/security-address';
import { looksLikeReplyToken, newReplyToken } from '../../shared/domain/reply-token';

const SECURITY = 'security@example.org';

describe('the security address and its reply addresses', () => {
  it('recognises the address itself, case-insensitively', () => {
    expect(classifyOwnAddress('Security@EXAMPLE.org', SECURITY)).toEqual({ kind: 'security' });
  });

  it('extracts the token of a reply address', () => {
    expect(classifyOwnAddress('security+abc234@example.org', SECURITY)).toEqual({
      kind: 'reply',
      token: 'abc234',
    });
  });

  it('does not take other mailboxes or domains for ours', () => {
    expect(classifyOwnAddress('security@example.org.evil.net', SECURITY).kind).toBe('other');
    expect(classifyOwnAddress('securityx@example.org', SECURITY).kind).toBe('other');
    expect(classifyOwnAddress('security+@example.org', SECURITY).kind).toBe('other');
    expect(classifyOwnAddress('not an address', SECURITY).kind).toBe('other');
  });

  it('builds reply addresses that route back to the token', () => {
    const token = newReplyToken();
    expect(looksLikeReplyToken(token)).toBe(true);
    expect(classifyOwnAddress(replyAddress(SECURITY, token), SECURITY)).toEqual({
      kind: 'reply',
      token,
    });
  });

  it('makes a different token every time', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newReplyToken));
    expect(tokens.size).toBe(1000);
  });
});
