import { watch, type FSWatcher } from 'node:fs';
import { mkdir, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { now } from './bench-support';

export interface ObservedMail {
  file: string;
  /** When this process first saw the file in new/ (performance.now()). */
  observedAt: number;
  /** How it was seen: an inotify event, or the periodic directory scan that backs it up. */
  via: 'event' | 'scan';
  deliveredTo: string;
  inReplyTo: string;
}

const HEAD_BYTES = 64 * 1024;

/** The header block of a Maildir file (the first 64 KiB are plenty), unfolded. */
async function headerOf(path: string): Promise<Map<string, string>> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    const text = buffer.subarray(0, bytesRead).toString('latin1');
    const end = text.indexOf('\r\n\r\n');
    const block = (end === -1 ? text : text.slice(0, end)).replace(/\r\n[ \t]+/g, ' ');
    const headers = new Map<string, string>();
    for (const line of block.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const key = line.slice(0, colon).trim().toLowerCase();
      if (!headers.has(key)) headers.set(key, line.slice(colon + 1).trim());
    }
    return headers;
  } finally {
    await handle.close();
  }
}

/**
 * Watches a Maildir's new/ folder and reports each message once, with the time it was first
 * seen. inotify events give the time; a scan every `scanMs` catches any event that was missed.
 */
export class OutboxWatcher {
  private readonly seen = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly maildir: string,
    private readonly onMail: (mail: ObservedMail) => void,
    private readonly scanMs = 500,
  ) {}

  async start(): Promise<void> {
    const dir = join(this.maildir, 'new');
    await Promise.all(
      ['tmp', 'new', 'cur'].map((d) => mkdir(join(this.maildir, d), { recursive: true })),
    );
    for (const file of await readdir(dir)) this.seen.add(file); // already there: not ours
    this.watcher = watch(dir, (_type, file) => {
      if (file) this.found(file.toString(), now(), 'event');
    });
    this.timer = setInterval(() => void this.scan(), this.scanMs);
  }

  /** Looks at the folder once more and waits until every seen file has been read. */
  async flush(): Promise<void> {
    await this.scan();
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  async stop(): Promise<void> {
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  private async scan(): Promise<void> {
    const at = now();
    let files: string[];
    try {
      files = await readdir(join(this.maildir, 'new'));
    } catch {
      return;
    }
    for (const file of files) this.found(file, at, 'scan');
  }

  private found(file: string, observedAt: number, via: ObservedMail['via']): void {
    if (this.seen.has(file) || file.startsWith('.')) return;
    this.seen.add(file);
    const read = headerOf(join(this.maildir, 'new', file))
      .then((headers) =>
        this.onMail({
          file,
          observedAt,
          via,
          deliveredTo: (headers.get('delivered-to') ?? '').toLowerCase(),
          inReplyTo: headers.get('in-reply-to') ?? '',
        }),
      )
      .catch(() => {
        // A rename event for a file that is gone again (moved to cur/): nothing to report.
        this.seen.delete(file);
      })
      .finally(() => this.pending.delete(read));
    this.pending.add(read);
  }
}
