import { classifyOwnAddress, replyAddress } from '../../shared/addresses/security-address';
import type { CaseId } from '../../shared/cases/case-id';
import {
  caseOfReplyToken,
  looksLikeReplyToken,
  newReplyToken,
} from '../../shared/threads/reply-token';

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
    const token = newReplyToken('SEC-2026-0042' as CaseId);
    expect(looksLikeReplyToken(token)).toBe(true);
    expect(classifyOwnAddress(replyAddress(SECURITY, token), SECURITY)).toEqual({
      kind: 'reply',
      token,
    });
  });

  it('names the case in the token, and nothing else routes by it', () => {
    const token = newReplyToken('SEC-2026-0042' as CaseId);
    expect(token).toMatch(/^sec-2026-0042-[a-z2-7]{26}$/);
    expect(caseOfReplyToken(token)).toBe('SEC-2026-0042');
    expect(caseOfReplyToken('abcdefghijklmnopqrstuvwxyz')).toBeUndefined();
    expect(looksLikeReplyToken('abcdefghijklmnopqrstuvwxyz')).toBe(true);
    expect(caseOfReplyToken('sec-2026-0042-short')).toBeUndefined();
    expect(caseOfReplyToken(`sec-2026-0042-${'a'.repeat(27)}`)).toBeUndefined();
  });

  it('makes a different token every time', () => {
    const tokens = new Set(
      Array.from({ length: 1000 }, () => newReplyToken('SEC-2026-0042' as CaseId)),
    );
    expect(tokens.size).toBe(1000);
  });
});
