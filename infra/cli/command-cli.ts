import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Command } from 'commander';
import { caseIdArgument } from './case-id-argument';
import { caseSummaryText } from '../../shared/cases/case-summary';
import { commandHelp, parseCommands } from '../../shared/commands/case-commands';
import { mailEffectLines } from '../../shared/commands/command-effects';
import { CaseNotFoundError, EmbargoError, errorMessage } from '../../shared/errors';
import { targetsDeployedStack } from './sessions/deployed-session';
import { withServices } from './sessions/local-session';
import { terminalSafe } from './output/terminal-text';

/**
 * Who runs the CLI, for the case history: the local user in local mode; against the deployed
 * stack the caller's ARN as AWS sees it, which names the role or user behind the credentials.
 */
export async function cliCaller(): Promise<string> {
  if (!targetsDeployedStack()) return `local user ${userInfo().username}`;
  try {
    const identity = await new STSClient({}).send(new GetCallerIdentityCommand({}));
    if (!identity.Arn) throw new Error('STS returned no ARN');
    return identity.Arn;
  } catch (err) {
    throw new EmbargoError(
      'AWS_UNREACHABLE',
      `Could not tell who you are in AWS (STS GetCallerIdentity: ${errorMessage(err)}).`,
      'Check your AWS credentials and region; nothing was changed.',
      { cause: err },
    );
  }
}

function printWarnings(warnings: string[]): void {
  if (!warnings.length) return;
  console.log('\nPolicy warnings about this date:');
  for (const warning of warnings) console.log(`  ! ${warning}`);
}

/**
 * `embargo command <case> <line>...`: a maintainer's command block from the admin CLI, for a
 * mail client that cannot sign. Each argument is one line of the block, with the grammar,
 * all-or-nothing rule and confirmations of signed mail; the history records it as `cli`.
 */
export function addCommandCli(program: Command): void {
  program
    .command('command')
    .argument('<id>', 'case id, e.g. SEC-2026-0001')
    .argument(
      '<lines...>',
      'the command block, one argument per line: "/severity high" "/disclose 2027-01-20", or "/advisory" "the advisory text"',
    )
    .option('--dry-run', 'show what would change and which mail would go out, without doing it')
    .description('apply maintainer commands to a case, as a signed mail would')
    .addHelpText('after', `\nCommands:\n${commandHelp.map((h) => `  ${h}`).join('\n')}`)
    .action(async (id: string, lines: string[], opts: { dryRun?: boolean }) => {
      const caseId = caseIdArgument(id);
      const caller = await cliCaller();
      await withServices(async (services) => {
        const record = await services.cases.get(caseId);
        if (!record) throw new CaseNotFoundError(caseId);
        const now = services.clock.now();
        const parsed = parseCommands(lines.join('\n'), now);
        if (!parsed.ok) {
          throw new EmbargoError(
            'COMMANDS_REFUSED',
            [
              'None of the commands were applied; nothing changed:',
              ...parsed.errors.map((e) => `  line ${e.line}: "${e.text}": ${e.reason}`),
            ].join('\n'),
            '\nFix those lines and run the command again (`npx embargo command --help` lists the commands).',
          );
        }
        if (!parsed.commands.length)
          throw new EmbargoError(
            'USAGE',
            'The first line is not a command.',
            'Start with a command such as "/severity high"; see `npx embargo command --help`.',
          );
        if (parsed.body && !parsed.commands.some((c) => c.command.name === 'advisory'))
          throw new EmbargoError(
            'USAGE',
            'Text after the commands is only taken with /advisory (as the advisory); nothing changed.',
            'The CLI writes to nobody but the maintainers: answer the reporter by mail.',
          );
        const preview = await services.commands.preview(record, parsed, {});
        if (preview.refused)
          throw new EmbargoError(
            'COMMANDS_REFUSED',
            `None of the commands were applied; nothing changed: ${preview.refused}.`,
            'Fix that and run the command again.',
          );
        if (opts.dryRun) {
          console.log(
            preview.changes.length
              ? `Dry run on ${caseId}: these commands would change (from → to):`
              : `Dry run on ${caseId}: these commands would change nothing.`,
          );
          for (const change of preview.changes) console.log(`  ${terminalSafe(change)}`);
          printWarnings(preview.warnings);
          console.log(`\n${mailEffectLines(preview.mail, 'Mail it would cause:').join('\n')}`);
          for (const note of preview.notes) console.log(`\n${note}`);
          console.log('\nNothing was changed or sent (--dry-run).');
          return;
        }
        if (preview.notes.length)
          throw new EmbargoError(
            'GITHUB_NOT_CONFIGURED',
            `${preview.notes.join(' ')} None of the commands were applied.`,
            'Configure `github` (docs/github.md), or leave out the GitHub commands.',
          );
        const applied = await services.commands.apply(record, parsed, {
          id: `cli-${randomUUID()}`,
          at: now.toISOString(),
          actor: 'cli',
          who: `The admin CLI (${caller})`,
          authentication: { method: 'cli', caller },
        });
        if (applied.refused)
          throw new EmbargoError(
            'COMMANDS_REFUSED',
            `None of the commands were applied; nothing changed: ${applied.refused}.`,
            'Fix that and run the command again.',
          );
        console.log(
          applied.changes.length
            ? `Applied to ${caseId} as ${caller}; the maintainers are told:`
            : `Nothing changed on ${caseId}.`,
        );
        for (const change of applied.changes) console.log(`  ${terminalSafe(change)}`);
        printWarnings(applied.warnings);
        console.log(`\n${mailEffectLines(applied.mail, 'Mail this caused:').join('\n')}`);
        if (applied.effects.wantsStatus)
          console.log(
            `\n${caseSummaryText(applied.record).split('\n').map(terminalSafe).join('\n')}`,
          );
      });
    });
}
