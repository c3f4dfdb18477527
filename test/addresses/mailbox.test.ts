import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { checkMailbox, mailboxToSendTo, sameMailbox } from '../../shared/addresses/mailbox';
import { checkFromHeader } from '../../shared/addresses/from-header';

describe('the mailbox check every recipient passes', () => {
  it.each([
    ['alice@example.net', 'alice@example.net'],
    ['Alice.B+tag@Example.NET', 'Alice.B+tag@example.net'],
    ["o'hara!#$%&*=?^_`{|}~-/@example.org", "o'hara!#$%&*=?^_`{|}~-/@example.org"],
    ['"john doe"@example.org', '"john doe"@example.org'],
    ['"a\\"b"@example.org', '"a\\"b"@example.org'],
    ['r@bücher.example', 'r@xn--bcher-kva.example'],
    ['r@ＥＸＡＭＰＬＥ.org', 'r@example.org'],
  ])('accepts %s as %s', (input, address) => {
    expect(checkMailbox(input)).toMatchObject({ ok: true, address });
  });

  it.each([
    ['r@example.net@evil.test', /more than one @/],
    ['"r@example.net"@evil.test', /more than one @/],
    ['"xclow3n@gmail.com x"@internal.domain', /more than one @/],
    ['r@example.net(a(b)c)', /comment/],
    ['r(x)@example.net', /comment/],
    ['r@(x)example.net', /comment/],
    ['r@example.net ', /host name cannot have/],
    [' r@example.net', /dot-atom/],
    ['r@example.net>', /host name cannot have/],
    ['r..s@example.net', /dot-atom/],
    ['.r@example.net', /dot-atom/],
    ['r.@example.net', /dot-atom/],
    ['r s@example.net', /dot-atom/],
    ['rí@example.net', /outside printable ASCII/],
    ['r@[192.0.2.1]', /address literal/],
    ['r@192.0.2.1', /IP address/],
    ['r@localhost', /single label/],
    ['r@example..net', /empty label/],
    ['r@-example.net', /hyphen/],
    ['r@exa_mple.net', /host name cannot have/],
    ['r@ex%41mple.net', /host name cannot have/],
    ['r@xn--zz.net', /internationalised domain/],
    ['r@example.net.', /empty label/],
    ['r@', /nothing after/],
    ['@example.net', /nothing before/],
    ['rexample.net', /no @/],
    ['"unterminated@example.net', /more than one @|quoted/],
    [`${'a'.repeat(65)}@example.net`, /local part is longer than 64/],
    [`a@${`${'b'.repeat(60)}.`.repeat(5)}org`, /longer/],
    ['a\r\nBcc: x@y.org@example.net', /more than one @/],
    ['a\r\n@example.net', /outside printable ASCII/],
  ])('refuses %j', (input, reason) => {
    const result = checkMailbox(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('names the same mailbox only for addresses that pass, ignoring case', () => {
    expect(sameMailbox('Mia@Example.ORG', 'mia@example.org')).toBe(true);
    expect(sameMailbox('mia@bücher.example', 'MIA@xn--bcher-kva.example')).toBe(true);
    expect(sameMailbox('mia@example.org', 'mia@example.org.evil.test')).toBe(false);
    expect(sameMailbox('mia@example.org@evil.test', 'mia@example.org@evil.test')).toBe(false);
  });

  it('throws with the reason when asked for an address to send to that fails', () => {
    expect(() => mailboxToSendTo('r@example.net@evil.test')).toThrow(
      /Refused to send mail to "r@example.net@evil.test": it has more than one @\. Nothing was sent/,
    );
    expect(mailboxToSendTo('r@Bücher.example')).toBe('r@xn--bcher-kva.example');
  });

  it('never accepts anything but one @ between a dot-atom or quoted string and LDH labels', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const result = checkMailbox(text);
        if (!result.ok) return;
        expect(result.address.split('@')).toHaveLength(2);
        expect(result.domain).toMatch(
          /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]*[a-z][a-z0-9-]*$/,
        );
        expect(result.local).toMatch(/^([A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+|"[\x20-\x7e]*")$/);
        expect(result.address).not.toMatch(/[\r\n]/);
        if (!result.local.startsWith('"')) expect(result.local).not.toMatch(/[()<>,;:\s"]/);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the From header, read strictly', () => {
  it.each([
    ['alice@example.net', 'alice@example.net'],
    ['Alice <alice@example.net>', 'alice@example.net'],
    ['"Doe, Alice" <alice@example.net>', 'alice@example.net'],
    ['"alice@example.net" <attacker@evil.test>', 'attacker@evil.test'],
    ['=?utf-8?q?Al=C3=AFce?= <alice@example.net>', 'alice@example.net'],
    ['  <alice@example.net>  ', 'alice@example.net'],
    ['Alice\r\n <alice@example.net>', 'alice@example.net'],
  ])('reads %j as %s', (value, address) => {
    expect(checkFromHeader(value)).toMatchObject({ ok: true, address });
  });

  it.each([
    ['R <r@example.net(a(b)c)@evil.test>', /comment/],
    ['r@example.net (Rita)', /comment/],
    ['alice@example.net, bob@example.net', /more than one address/],
    ['friends: alice@example.net;', /group/],
    ['<@relay.example:alice@example.net>', /group or route/],
    ['Alice <alice@example.net> trailing', /text after the address/],
    ['Alice <alice@example.net> <bob@evil.test>', /more than one pair/],
    ['Alice >alice@example.net<', /wrong way round/],
    ['alice@example.net <attacker@evil.test>', /unquoted @/],
    ['"Alice <alice@example.net>', /unterminated/],
    ['Alice <"r@example.net"@evil.test>', /more than one @/],
    ['Alice < alice@example.net>', /dot-atom/],
    ['', /empty/],
    ['Alice <alice@example.net\u0000>', /control characters/],
  ])('refuses %j', (value, reason) => {
    const result = checkFromHeader(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('agrees with mailparser on every header it accepts', async () => {
    const headers = [
      'Alice <alice@example.net>',
      '"Doe, Alice" <alice@example.net>',
      '"a\\"b" <alice@example.net>',
      '"x@a.org" <alice@example.net>',
      '"john doe"@example.org',
    ];
    for (const value of headers) {
      const ours = checkFromHeader(value);
      const theirs = await simpleParser(Buffer.from(`From: ${value}\r\n\r\n`));
      expect(ours.ok).toBe(true);
      expect(ours.ok && sameMailbox(ours.address, theirs.from!.value[0]!.address!)).toBe(true);
    }
  });
});
