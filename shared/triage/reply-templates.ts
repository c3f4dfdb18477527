import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseRecord } from '../cases/case-record';

/** The template `/reply out-of-scope` names: the text of an `outOfScope` rule. */
export const OUT_OF_SCOPE_TEMPLATE = 'out-of-scope';

export type CannedReply = { ok: true; label: string; text: string } | { ok: false; reason: string };

/** `{case}` and `{project}` filled in; nothing from the report is ever put in. */
function fill(text: string, record: CaseRecord, config: EmbargoConfig): string {
  return text.replaceAll('{case}', record.id).replaceAll('{project}', config.project);
}

/**
 * The exact text `/reply <template>` sends the reporter, or why it cannot. `out-of-scope` is
 * the `reply` of the rule named, else of the one rule the report matched; a configured
 * template of that name takes precedence.
 */
export function cannedReply(
  record: CaseRecord,
  config: EmbargoConfig,
  template: string,
  ruleId?: string,
): CannedReply {
  const configured = config.replyTemplates[template];
  if (configured !== undefined && !ruleId)
    return { ok: true, label: template, text: fill(configured, record, config) };
  if (template !== OUT_OF_SCOPE_TEMPLATE) {
    const names = [...Object.keys(config.replyTemplates), OUT_OF_SCOPE_TEMPLATE].join(', ');
    return {
      ok: false,
      reason: `there is no reply template "${template}" (replyTemplates in embargo.config.json has: ${names})`,
    };
  }
  const ids = config.outOfScope.map((r) => r.id);
  if (!ids.length)
    return {
      ok: false,
      reason:
        'no outOfScope rules are configured, so there is no text to send (embargo.config.json, outOfScope)',
    };
  const matched = record.triage?.outOfScope.map((m) => m.id) ?? [];
  const chosen = ruleId ?? (matched.length === 1 ? matched[0] : undefined);
  const rule = config.outOfScope.find((r) => r.id === chosen);
  if (!rule)
    return {
      ok: false,
      reason: ruleId
        ? `there is no outOfScope rule "${ruleId}" (rules: ${ids.join(', ')})`
        : `name the rule: /reply out-of-scope <rule> (${matched.length ? `the report matched ${matched.join(', ')}` : 'the report matched none'}; rules: ${ids.join(', ')})`,
    };
  return {
    ok: true,
    label: `${OUT_OF_SCOPE_TEMPLATE} (${rule.id})`,
    text: fill(rule.reply, record, config),
  };
}
