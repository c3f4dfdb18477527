import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MailTransport, RawOutboundMail } from '../../outbound/mail-transport';

/**
 * Delivers outbound mail into a Maildir, one file per message and recipient, as it would be sent,
 * with a `Delivered-To:` header naming the envelope recipient. The file name derives from the
 * recipient and the Message-ID, so redelivering the same mail replaces nothing and adds nothing.
 */
export class MaildirMailTransport implements MailTransport {
  constructor(private readonly root: string) {}

  async send(mail: RawOutboundMail): Promise<void> {
    await Promise.all(
      ['tmp', 'new', 'cur'].map((d) => mkdir(join(this.root, d), { recursive: true })),
    );
    const messageId = /^Message-ID:\s*(.+)$/im.exec(mail.raw.toString('latin1'))?.[1]?.trim() ?? '';
    const name = createHash('sha256')
      .update(`${mail.recipient.toLowerCase()}\n${messageId || mail.raw.toString('base64')}`)
      .digest('hex')
      .slice(0, 32);
    const file = `${name}.embargo`;
    if (existsSync(join(this.root, 'new', file))) return;
    // A mail reader moves read mail to cur/ and appends flags to the name.
    if ((await readdir(join(this.root, 'cur'))).some((n) => n.startsWith(file))) return;
    const tmp = join(this.root, 'tmp', file);
    await writeFile(
      tmp,
      Buffer.concat([Buffer.from(`Delivered-To: ${mail.recipient}\r\n`), mail.raw]),
    );
    // Maildir's rule: write in tmp/, then rename into new/, so readers never see half a message.
    await rename(tmp, join(this.root, 'new', file));
  }
}
