import { countOf } from '../../shared/mail/count-text';

describe('countOf', () => {
  it("puts the noun in English's number for the count", () => {
    expect(countOf(1, 'day')).toBe('1 day');
    expect(countOf(0, 'distributor')).toBe('0 distributors');
    expect(countOf(7, 'day')).toBe('7 days');
    expect(countOf(1.5, 'hour')).toBe('1.5 hours');
  });

  it('takes an irregular plural', () => {
    expect(countOf(2, 'reply', 'replies')).toBe('2 replies');
    expect(countOf(1, 'reply', 'replies')).toBe('1 reply');
  });
});
