/**
 * The new text of a reply: without the quoted mail it answers, the attribution line before it
 * ("On …, X wrote:") and the sender's signature block. Relayed text carries no maintainer's
 * address this way, and the reporter is not sent back the maintainers' header block.
 */
export function newReplyText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const signature = lines.findIndex((l) => l === '-- ' || l === '--');
  const kept = (signature === -1 ? lines : lines.slice(0, signature)).filter(
    (l) => !/^\s*>/.test(l),
  );
  while (kept.length && /^\s*$/.test(kept.at(-1) ?? '')) kept.pop();
  if (kept.length && /(wrote|schrieb|a écrit|escribió)\s*:\s*$/i.test(kept.at(-1) ?? ''))
    kept.pop();
  while (kept.length && /^\s*$/.test(kept.at(-1) ?? '')) kept.pop();
  return kept.join('\n').trim();
}
