import { writeNewFile } from './new-output-file';
import type { Command } from 'commander';
import { EmbargoError, RawMailMissingError } from '../../shared/errors';
import { withServices } from './sessions/local-session';

/** Message ids as SES and the local gateway make them: nothing that could name another path. */
const MESSAGE_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * `embargo raw <message id> --out <file>`: the raw message as it was received, for mail that
 * was kept unread (collected as flood, quarantined, rejected) or to look at a report's bytes.
 */
export function addRawCli(program: Command): void {
  program
    .command('raw')
    .argument('<message-id>', 'the message id, as `embargo inbound` or a flood digest shows it')
    .requiredOption('--out <file>', 'where to write it (must not exist yet; written mode 0600)')
    .description('fetch a received message as it arrived (for example one collected as flood)')
    .action(async (messageId: string, opts: { out: string }) => {
      if (!MESSAGE_ID.test(messageId))
        throw new EmbargoError(
          'USAGE',
          `"${messageId}" is not a message id.`,
          'Copy it from `npx embargo inbound` or the flood digest.',
        );
      const raw = await withServices((services) => services.rawMail.get(messageId)).catch(
        (err: Error) => {
          if (!(err instanceof RawMailMissingError)) throw err;
          throw new EmbargoError(
            'NOT_FOUND',
            `No message ${messageId} is stored.`,
            'Copy the id from `npx embargo inbound` or the flood digest.',
          );
        },
      );
      const out = await writeNewFile(opts.out, raw);
      console.log(
        `Wrote ${raw.length} bytes to ${out}. It is the mail as received: open it with care.`,
      );
    });
}
