import { listUserIds, userIdsName } from '../../shared/addresses/user-id-address';

describe('userIdsName', () => {
  it('finds the address in a user id, bracketed or bare, in any case', () => {
    expect(userIdsName(['Max Muster <Max@Example.org>'], 'max@example.org')).toBe(true);
    expect(userIdsName(['max@example.org'], ' MAX@example.org ')).toBe(true);
  });

  it('does not take an address that is only part of a user id', () => {
    expect(userIdsName(['Max <max@example.org.evil>'], 'max@example.org')).toBe(false);
    expect(userIdsName(['max@example.org <other@example.net>'], 'max@example.org')).toBe(false);
    expect(userIdsName([], 'max@example.org')).toBe(false);
  });
});

describe('listUserIds', () => {
  it('quotes each user id, or says there is none', () => {
    expect(listUserIds(['a <x@y>', 'b <z@y>'])).toBe('"a <x@y>", "b <z@y>"');
    expect(listUserIds([])).toBe('no user id');
  });
});
