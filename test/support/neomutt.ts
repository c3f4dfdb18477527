import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Whether real neomutt and tmux (which gives it a terminal to run in) are on this machine. */
export function neomuttAvailable(): boolean {
  return ['neomutt', 'tmux'].every(
    (tool) => spawnSync(tool, ['-v'], { stdio: 'ignore' }).error === undefined,
  );
}

export interface NeomuttReply {
  /** The message neomutt handed to its sendmail, if it sent one. */
  sent?: string;
  /** The last screen, for saying why nothing was sent (a key prompt, an error). */
  screen: string;
}

/**
 * Real neomutt, in a tmux terminal, replying to the one message in a Maildir the way a user
 * does: `r`, then `y` on the compose screen. Its configuration is what the README tells
 * people to set for PGP (gpgme, encrypt replies to encrypted mail, encrypt when a key is
 * found), and nothing about Embargo's addresses.
 */
export class Neomutt {
  private readonly dir = mkdtempSync(join(tmpdir(), 'embargo-neomutt-'));
  private readonly socket = `embargo-test-${process.pid}-${Math.random().toString(36).slice(2)}`;

  constructor(
    private readonly user: { address: string; name: string; gnupgHome: string; keyId: string },
  ) {}

  async reply(message: string, text: string): Promise<NeomuttReply> {
    const maildir = join(this.dir, 'inbox');
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
    writeFileSync(join(maildir, 'new', '1.host'), message);
    const sentFile = join(this.dir, 'sent.eml');
    rmSync(sentFile, { force: true });
    writeFileSync(join(this.dir, 'sendmail.sh'), `#!/bin/sh\ncat > '${sentFile}'\n`, {
      mode: 0o700,
    });
    writeFileSync(join(this.dir, 'body.txt'), `${text}\n\n`);
    // The "editor" writes the user's words above the quoted mail.
    writeFileSync(
      join(this.dir, 'editor.sh'),
      `#!/bin/sh\ncat '${join(this.dir, 'body.txt')}' "$1" > "$1.new" && mv "$1.new" "$1"\n`,
      { mode: 0o700 },
    );
    const rc = [
      `set folder="${this.dir}"`,
      `set spoolfile="${maildir}"`,
      `set from="${this.user.address}"`,
      `set real_name="${this.user.name}"`,
      'set use_from=yes',
      'set crypt_use_gpgme=yes',
      'set crypt_replyencrypt=yes',
      'set crypt_opportunistic_encrypt=yes',
      `set pgp_default_key="${this.user.keyId}"`,
      'set include=yes',
      'set fast_reply=yes',
      'set reply_to=yes',
      'set abort_unmodified=no',
      `set editor="${join(this.dir, 'editor.sh')}"`,
      `set sendmail="${join(this.dir, 'sendmail.sh')}"`,
      'set record=""',
      'set postpone=no',
      'set mail_check=0',
      'set header_cache=""',
      'set message_cachedir=""',
      'set wait_key=no',
    ].join('\n');
    writeFileSync(join(this.dir, 'neomuttrc'), `${rc}\n`);

    const tmux = (...args: string[]) =>
      spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
    const screen = () => tmux('capture-pane', '-p', '-t', 'mutt').stdout ?? '';
    const started = tmux(
      'new-session',
      '-d',
      '-s',
      'mutt',
      '-x',
      '100',
      '-y',
      '30',
      `env GNUPGHOME='${this.user.gnupgHome}' TERM=xterm neomutt -n -F '${join(this.dir, 'neomuttrc')}'`,
    );
    if (started.status !== 0) throw new Error(`tmux could not start neomutt: ${started.stderr}`);
    try {
      await until(() => /r:Reply/.test(screen()), 'the message index');
      tmux('send-keys', '-t', 'mutt', 'r');
      await until(() => /Compose/.test(screen()), 'the compose screen');
      tmux('send-keys', '-t', 'mutt', 'y');
      await until(
        () => existsSync(sentFile) || /Enter keyID|rror|keys matching/.test(screen()),
        'the message to be sent',
      );
      await sleep(200);
      return existsSync(sentFile)
        ? { sent: readFileSync(sentFile, 'utf8'), screen: screen() }
        : { screen: screen() };
    } finally {
      tmux('kill-server');
    }
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function until(ready: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`neomutt did not reach ${what} in 20 s`);
    await sleep(100);
  }
}
