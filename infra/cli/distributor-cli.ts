import { fittedTable, withHiddenNote } from './output/fitted-table';
import type { Command } from 'commander';
import { z } from 'zod';
import { groupFingerprint } from '../../shared/pgp/fingerprint-text';
import { EmbargoError } from '../../shared/errors';
import { listUserIds, userIdsName } from '../../shared/addresses/user-id-address';
import { isTimeZone } from '../../shared/time/zoned-text';
import { readArmoredKeyFile } from './key-file';
import { withServices } from './sessions/local-session';
import { terminalSafe } from './output/terminal-text';

const address = z.email();
/** Validated here, where it enters: notices then trust the stored name. */
const timeZone = z.string().refine(isTimeZone);

const consentModes = ['with-notice', 'before-details'] as const;
type ConsentMode = (typeof consentModes)[number];

interface AddOptions {
  name: string;
  key: string;
  force?: boolean;
  timeZone?: string;
  consent?: string;
  nameInPublicRecords?: boolean;
}

export function addDistributorCli(program: Command): void {
  const distributor = program
    .command('distributor')
    .description(
      'the private advance-notification list (kept in the case table, never in config or logs)',
    );

  distributor
    .command('add')
    .argument('<email>', "the distributor's address")
    .requiredOption('--name <org>', 'organisation name, as maintainers will see it')
    .requiredOption('--key <file>', "the distributor's armored OpenPGP public key")
    .option('--force', 'accept a key none of whose user ids names the address')
    .option(
      '--consent <mode>',
      'with-notice or before-details: overrides distributorConsent for this distributor',
    )
    .option(
      '--time-zone <zone>',
      "the distributor's IANA time zone (e.g. Europe/Berlin): notices give dates in it too",
    )
    .option(
      '--name-in-public-records',
      'the distributor agreed to be named with its signed /status in the public CSAF after D',
    )
    .description(
      'add a distributor, or replace its name, key, consent, time zone and public naming',
    )
    .action(async (email: string, opts: AddOptions) => {
      if (opts.consent !== undefined && !consentModes.includes(opts.consent as ConsentMode)) {
        throw new EmbargoError(
          'USAGE',
          `--consent "${opts.consent}" is not a consent mode.`,
          `Give ${consentModes.join(' or ')} (docs/distributors.md).`,
        );
      }
      if (!address.safeParse(email).success) {
        throw new EmbargoError(
          'USAGE',
          `"${email}" is not an email address.`,
          'Give the address notices go to.',
        );
      }
      if (opts.timeZone !== undefined && !timeZone.safeParse(opts.timeZone).success) {
        throw new EmbargoError(
          'USAGE',
          `"${opts.timeZone}" is not an IANA time zone name.`,
          'Give a tz database name such as Europe/Berlin or America/New_York.',
        );
      }
      const armored = await readArmoredKeyFile(opts.key, 'public');
      await withServices(
        async (services) => {
          const inspection = await services.crypto.inspectKey(armored);
          if (!inspection.usable) {
            throw new EmbargoError(
              'RECIPIENT_KEY_UNUSABLE',
              `The key in ${opts.key} cannot be used for encryption (${inspection.problem}).`,
              'Ask the distributor for a current public key with an encryption subkey.',
            );
          }
          if (!userIdsName(inspection.userIds, email)) {
            const mismatch = `No user id of the key in ${opts.key} names ${email} (it has ${listUserIds(inspection.userIds)}).`;
            if (!opts.force) {
              throw new EmbargoError(
                'DISTRIBUTOR_KEY_MISMATCH',
                `${mismatch} It may be another party's key.`,
                'Check the key with the distributor; add --force to use it anyway.',
              );
            }
            console.warn(`Warning: ${mismatch} Used anyway (--force).`);
          }
          await services.distributors.put({
            email,
            name: opts.name,
            publicKeyArmored: armored,
            fingerprint: inspection.fingerprint,
            addedAt: new Date().toISOString(),
            ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
            ...(opts.consent ? { consent: opts.consent as ConsentMode } : {}),
            ...(opts.nameInPublicRecords ? { nameInPublicRecords: true } : {}),
          });
          console.log(
            `Added ${opts.name} <${email}>, key ${groupFingerprint(inspection.fingerprint)}` +
              `${opts.timeZone ? `, time zone ${opts.timeZone}` : ''}; ` +
              (opts.nameInPublicRecords
                ? 'named with its signed /status in public records.'
                : 'never named in public records (--name-in-public-records to allow it).'),
          );
        },
        { create: true },
      );
    });

  distributor
    .command('list')
    .option('--json', 'print JSON (without the keys)')
    .option('--wide', 'every column in full, however wide (default: fit COLUMNS, or 80)')
    .description('show the distributors and their key fingerprints')
    .action(async (opts: { json?: boolean; wide?: boolean }) => {
      const list = await withServices((services) => services.distributors.list());
      if (opts.json) {
        return console.log(
          JSON.stringify(
            list.map(({ publicKeyArmored: _key, ...rest }) => rest),
            null,
            2,
          ),
        );
      }
      if (!list.length)
        return console.log(
          'No distributors yet: `npx embargo distributor add <email> --name <org> --key <file>`.',
        );
      // The fingerprint in two lines of five groups, never cut: it is what people compare.
      const halves = (fingerprint: string) => {
        const groups = groupFingerprint(fingerprint).split(' ');
        return `${groups.slice(0, 5).join(' ')}\n${groups.slice(5).join(' ')}`;
      };
      const table = fittedTable(
        [
          { head: 'Organisation', priority: 1, minWidth: 12 },
          { head: 'Email', priority: 2, minWidth: 16 },
          { head: 'Key fingerprint', priority: 3 },
          { head: 'Added', priority: 4 },
          { head: 'Time zone', priority: 5 },
          { head: 'Public name', priority: 6 },
        ],
        list.map((d) => [
          terminalSafe(d.name),
          d.email,
          halves(d.fingerprint),
          d.addedAt.slice(0, 10),
          d.timeZone ?? 'UTC',
          d.nameInPublicRecords ? 'yes' : 'no',
        ]),
        opts,
      );
      console.log(withHiddenNote(table));
    });

  distributor
    .command('remove')
    .argument('<email>', "the distributor's address")
    .description('remove a distributor from the list')
    .action(async (email: string) => {
      const removed = await withServices((services) => services.distributors.remove(email));
      if (!removed) {
        throw new EmbargoError(
          'NOT_FOUND',
          `There is no distributor ${email}.`,
          'Run `npx embargo distributor list`.',
        );
      }
      console.log(`Removed ${email}.`);
    });
}
