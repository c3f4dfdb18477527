/**
 * For tests that need something a developer's machine may lack (GnuPG, neomutt, the official
 * schemas beside the checkout): they run where it is there, fail in CI (which installs it, so a
 * missing one there is a broken CI), and elsewhere skip, saying what is missing and how to get it.
 */
export function describeIfAvailable(
  what: string,
  available: boolean,
  howToGetIt: string,
): jest.Describe {
  if (available) return describe;
  const missing = `${what} not found: ${howToGetIt}`;
  if (process.env.CI) throw new Error(`${missing}. CI must have it.`);
  console.warn(`Skipping the tests that need it: ${missing}.`);
  return describe.skip;
}
