import type { EmbargoConfig } from '../config/embargo-config';
import type { TriageFindings } from '../cases/case-record';
import type { ReportContent } from '../reports/report-content';
import { aiToolMention } from './ai-use';
import { missingRequirements, reportRequirements } from './report-requirements';
import { matchingScopeRules } from './scope-rules';
import { singleLine } from '../mail/single-line';

/** Words quoted from the report, as one short line: they must not forge lines of the copy. */
const quoted = (text: string) => singleLine(text, 80);

/**
 * What triage finds in a report as its case opens; nothing for one that could not be read.
 * `replayed` (the same ciphertext came before, in another mail): the findings are kept for the
 * maintainers, but the acknowledgment asks nothing, as what the report lacks would tell the
 * sender something about a text that may be another reporter's.
 */
export function triageReport(
  content: ReportContent,
  config: EmbargoConfig,
  replayed: boolean,
): TriageFindings | undefined {
  if (content.failure) return undefined;
  const names = content.attachments.map((a) => a.filename);
  const mention = aiToolMention(content.text);
  const aiMention = mention === undefined ? undefined : quoted(mention);
  return {
    missing: missingRequirements(content.text, reportRequirements(config)),
    outOfScope: matchingScopeRules(content.text, names, config.outOfScope).map((m) => ({
      ...m,
      term: quoted(m.term),
    })),
    ...(aiMention ? { aiMention } : {}),
    ...(replayed ? { asksWithheld: 'the same ciphertext was received before' } : {}),
  };
}

/** The question the acknowledgment asks when `askAboutAi` is on and the report does not say. */
export const AI_QUESTION =
  'whether you used AI tools to find or write this report, which ones, and whether you reproduced the issue yourself';

/** What the acknowledgment asks the reporter for, in the project's words; empty asks nothing. */
export function acknowledgmentQuestions(
  findings: TriageFindings | undefined,
  config: EmbargoConfig,
): string[] {
  if (!findings || findings.asksWithheld) return [];
  const asks = reportRequirements(config)
    .filter((r) => findings.missing.includes(r.id))
    .map((r) => r.ask);
  return config.askAboutAi && !findings.aiMention ? [...asks, AI_QUESTION] : asks;
}

/** The findings as lines of the maintainers' copy of a new report. */
export function triageLines(findings: TriageFindings | undefined, config: EmbargoConfig): string[] {
  if (!findings) return [];
  const asked = acknowledgmentQuestions(findings, config);
  const rules = new Map(config.outOfScope.map((r) => [r.id, r.rule]));
  const missing = findings.missing.length
    ? `${findings.missing.join(', ')}${
        findings.asksWithheld
          ? ` (not asked: ${findings.asksWithheld})`
          : asked.length
            ? ' (the acknowledgment asked for it)'
            : ''
      }`
    : 'nothing the project asks for';
  const ai = findings.aiMention
    ? `the report says so ("${findings.aiMention}")`
    : config.askAboutAi && !findings.asksWithheld
      ? 'not said; the acknowledgment asked'
      : 'not said';
  return [
    'Triage (shown, never acted on):',
    `  Missing:      ${missing}`,
    ...findings.outOfScope.map(
      (m) =>
        `  OUT OF SCOPE? ${m.id}: ${rules.get(m.id) ?? '(rule no longer configured)'} (matched "${m.term}"); /reply out-of-scope sends the project's text`,
    ),
    `  AI tools:     ${ai}`,
  ];
}
