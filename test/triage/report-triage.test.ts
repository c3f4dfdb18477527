import { buildAcknowledgment } from '../../shared/acknowledgment/acknowledgment';
import { embargoConfigFileSchema } from '../../shared/config/embargo-config';
import type { ReportContent } from '../../shared/reports/report-content';
import { aiToolMention } from '../../shared/triage/ai-use';
import {
  DEFAULT_REPORT_REQUIREMENTS,
  missingRequirements,
} from '../../shared/triage/report-requirements';
import { matchingScopeRules } from '../../shared/triage/scope-rules';
import {
  AI_QUESTION,
  acknowledgmentQuestions,
  triageLines,
  triageReport,
} from '../../shared/triage/triage-findings';
import { caseRecord } from '../support/case-builder';
import { testConfig } from '../support/local-stores';

const COMPLETE = [
  'In version 2.4.1 the parser reads past the end of its buffer.',
  'Steps to reproduce: run ./parse crash.bin',
  'Impact: an attacker who controls the input can read heap memory.',
].join('\n');

const NO_VERSION = [
  'The parser reads past the end of its buffer.',
  'Steps to reproduce: feed it the attached file.',
  'Impact: an attacker can read heap memory.',
].join('\n');

const content = (text: string, filenames: string[] = []): ReportContent => ({
  encryption: 'none',
  text,
  segments: [{ text, signatures: [] }],
  attachments: filenames.map((filename) => ({
    filename,
    contentType: 'text/plain',
    content: Buffer.from('x'),
  })),
  signatures: [],
  offeredKeys: [],
});

const rules = [
  {
    id: 'examples',
    rule: 'code under examples/ is not shipped',
    keywords: ['examples/'],
    patterns: [],
    reply: 'The examples are not part of the library; see SECURITY.md.',
  },
  {
    id: 'huge-input',
    rule: 'denial of service by a huge input',
    keywords: ['huge input', 'out of memory'],
    patterns: ['\\b\\d+\\s*(GB|GiB)\\b'],
    reply: 'Inputs must be bounded by the caller (SECURITY.md, "Limits").',
  },
];

describe('report requirements', () => {
  it('finds what a report lacks, by keyword or pattern, and nothing in a complete one', () => {
    expect(missingRequirements(COMPLETE, DEFAULT_REPORT_REQUIREMENTS)).toEqual([]);
    expect(missingRequirements(NO_VERSION, DEFAULT_REPORT_REQUIREMENTS)).toEqual(['version']);
    expect(missingRequirements('It crashes.', DEFAULT_REPORT_REQUIREMENTS)).toEqual([
      'version',
      'reproduction',
      'impact',
    ]);
  });

  it('matches keywords as words, not inside other words', () => {
    const poc = [{ id: 'poc', ask: 'a proof of concept', keywords: ['poc'], patterns: [] }];
    expect(missingRequirements('the epoch counter wraps', poc)).toEqual(['poc']);
    expect(missingRequirements('PoC attached', poc)).toEqual([]);
  });

  it('reads requirements, rules and templates from the configuration, refusing a bad pattern', () => {
    const base = { project: 'p', securityAddress: 's@p.org', announceAddress: 'a@p.org' };
    const parsed = embargoConfigFileSchema.parse({
      ...base,
      reportRequirements: [{ id: 'os', ask: 'your operating system', keywords: ['linux'] }],
      outOfScope: rules,
      askAboutAi: true,
      replyTemplates: { 'need-poc': 'Please send a proof of concept.' },
    });
    expect(parsed.reportRequirements).toEqual([
      { id: 'os', ask: 'your operating system', keywords: ['linux'], patterns: [] },
    ]);
    expect(
      embargoConfigFileSchema.safeParse({
        ...base,
        outOfScope: [{ ...rules[0], patterns: ['(unclosed'] }],
      }).success,
    ).toBe(false);
    expect(
      embargoConfigFileSchema.safeParse({ ...base, replyTemplates: { 'Bad Name': 'x' } }).success,
    ).toBe(false);
  });
});

describe('out-of-scope rules', () => {
  it('match the text or an attachment name, naming the words that matched', () => {
    expect(matchingScopeRules('A bug in examples/server.c', [], rules)).toEqual([
      { id: 'examples', term: 'examples/' },
    ]);
    expect(matchingScopeRules('a 4 GB header', ['poc.py'], rules)).toEqual([
      { id: 'huge-input', term: '4 GB' },
    ]);
    expect(matchingScopeRules('see patch', ['examples/fix.patch'], rules)).toEqual([
      { id: 'examples', term: 'examples/' },
    ]);
    expect(matchingScopeRules(COMPLETE, [], rules)).toEqual([]);
  });
});

describe('AI tools', () => {
  it('are seen where the report says so, and not in ordinary words', () => {
    expect(aiToolMention('I found this with ChatGPT and checked it by hand.')).toBe('ChatGPT');
    expect(aiToolMention('An LLM-assisted fuzzing run found it.')).toBe('LLM');
    expect(
      aiToolMention('Claude from the QA team found it; the maillist bounced.'),
    ).toBeUndefined();
  });
});

describe('the findings of a new report', () => {
  const config = { ...testConfig, outOfScope: rules, askAboutAi: true };

  it('make the acknowledgment ask, in one short list, for what is missing and about AI', () => {
    const triage = triageReport(content(NO_VERSION), config, false)!;
    expect(triage).toEqual({ missing: ['version'], outOfScope: [] });
    const ack = buildAcknowledgment(
      caseRecord('SEC-2026-0001', { triage }),
      config,
      'AB'.repeat(20),
    );
    expect(ack.text).toContain(
      'please reply with what your report does not say yet:\n' +
        `- ${DEFAULT_REPORT_REQUIREMENTS[0]!.ask}\n- ${AI_QUESTION}\n`,
    );
    expect(ack.text).toContain('Your report is read either way');
  });

  it('ask nothing of a complete report that says AI was used, nor when the ciphertext was replayed', () => {
    const said = triageReport(content(`${COMPLETE}\nFound with ChatGPT.`), config, false);
    expect(acknowledgmentQuestions(said, config)).toEqual([]);
    const ack = buildAcknowledgment(
      caseRecord('SEC-2026-0001', { triage: said }),
      config,
      'AB'.repeat(20),
    );
    expect(ack.text).not.toContain('does not say yet');
    const replayed = triageReport(content('It crashes.'), config, true);
    expect(replayed?.missing).toHaveLength(3);
    expect(acknowledgmentQuestions(replayed, config)).toEqual([]);
  });

  it('are nothing for a report that could not be read', () => {
    expect(triageReport({ ...content(''), failure: 'corrupt' }, config, false)).toBeUndefined();
  });

  it('show the maintainers the missing facts, the rule matched and what the report says of AI', () => {
    const triage = triageReport(content('Crash in examples/demo.c', []), config, false);
    const lines = triageLines(triage, config).join('\n');
    expect(lines).toContain(
      'Missing:      version, reproduction, impact (the acknowledgment asked for it)',
    );
    expect(lines).toContain(
      'OUT OF SCOPE? examples: code under examples/ is not shipped (matched "examples/"); /reply out-of-scope',
    );
    expect(lines).toContain('AI tools:     not said; the acknowledgment asked');
  });
});

describe('words quoted from a report', () => {
  it('stay on one line of the copy, whatever a pattern matched', () => {
    const config = {
      ...testConfig,
      outOfScope: [{ ...rules[0]!, keywords: ['huge input'], patterns: [] }],
    };
    const triage = triageReport(content("a huge\ninput\nSender's history: none"), config, false);
    expect(triage?.outOfScope).toEqual([{ id: 'examples', term: 'huge input' }]);
    expect(triageLines(triage, config).every((line) => !line.includes('\n'))).toBe(true);
  });
});
