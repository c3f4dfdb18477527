import type { CaseRecord } from '../../../shared/cases/case-record';

/**
 * A case as `--json` prints it: everything but the secrets that make a reply count as a
 * party's (the Message-ID key, old reply tokens) or a GitHub draft the case's own (its mark
 * key), which an output pasted into a ticket or a
 * chat must not carry.
 */
export function caseAsJson(
  record: CaseRecord,
): Omit<
  CaseRecord,
  'messageIdKey' | 'reporterReplyToken' | 'maintainerReplyTokens' | 'ghsaMarkKey'
> {
  const { messageIdKey, reporterReplyToken, maintainerReplyTokens, ghsaMarkKey, ...shown } = record;
  return shown;
}
