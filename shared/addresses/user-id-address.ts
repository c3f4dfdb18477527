/**
 * Whether one of an OpenPGP key's user ids names `address` (`Name <address>` or the bare
 * address), compared case-insensitively. Mail clients pick a recipient's key by this exact
 * match (`gpg -r <address>`, Thunderbird, mutt), so a key without it is not found for the address.
 */
export function userIdsName(userIds: readonly string[], address: string): boolean {
  const wanted = address.trim().toLowerCase();
  return userIds.some((uid) => {
    const lower = uid.trim().toLowerCase();
    const bracketed = /<([^<>]+)>\s*$/.exec(lower)?.[1];
    return (bracketed ?? lower) === wanted;
  });
}

/** The user ids for a message: `"a <x>", "b <y>"`, or that the key has none. */
export function listUserIds(userIds: readonly string[]): string {
  return userIds.length ? userIds.map((uid) => `"${uid}"`).join(', ') : 'no user id';
}
