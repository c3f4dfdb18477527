import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { protectedSubject } from './protected-subject';

export interface DeliveredMail {
  file: string;
  raw: string;
  deliveredTo: string;
  parsed: ParsedMail;
  /** The Subject the recipient sees: the protected one of an encrypted mail, else the outer. */
  subject: string;
}

/** The file names in the Maildir's new/ folder. */
export function maildirFiles(root: string): string[] {
  const dir = join(root, 'new');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** Every message in the Maildir's new/ folder (or those not in `except`), parsed. */
export async function readMaildir(
  root: string,
  except: Set<string> = new Set(),
): Promise<DeliveredMail[]> {
  const dir = join(root, 'new');
  const mails: DeliveredMail[] = [];
  for (const file of maildirFiles(root).filter((f) => !except.has(f))) {
    const raw = readFileSync(join(dir, file), 'utf8');
    const deliveredTo = /^Delivered-To: (.+)$/m.exec(raw)?.[1]?.trim() ?? '';
    const parsed = await simpleParser(raw);
    mails.push({
      file,
      raw,
      deliveredTo,
      parsed,
      subject: protectedSubject(raw) ?? parsed.subject ?? '',
    });
  }
  return mails;
}

export function headerOf(mail: DeliveredMail, name: string): string | undefined {
  const line = mail.parsed.headerLines.find((h) => h.key === name.toLowerCase());
  return line ? line.line.slice(line.line.indexOf(':') + 1).trim() : undefined;
}
