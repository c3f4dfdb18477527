/** An ISO 8601 instant as people read it in mail: minutes, in UTC, and saying so. */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}
