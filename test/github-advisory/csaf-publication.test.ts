import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { CaseId } from '../../shared/cases/case-id';
import type { CaseRecord } from '../../shared/cases/case-record';
import { parseCommands } from '../../shared/commands/case-commands';
import { mailEffectLines } from '../../shared/commands/command-effects';
import { csafProviderMetadataSchema } from '../../shared/advisories/records/csaf-provider-metadata';
import { validate } from '../../shared/validation/validate';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { csafProblems } from '../advisories/csaf-checks';
import { caseRecord } from '../support/case-builder';
import { GitHubApiStandIn } from '../support/github-api';
import { GnuPg, openPgpMime } from '../support/gnupg';
import { resolvedMaintainer } from '../support/local-project';
import { memoryLogger, startStores, testConfig, type Stores } from '../support/local-stores';
import { readMaildir } from '../support/maildir';

const TOKEN = 'github_pat_csaf_test_secret';
const DAY = 86_400_000;
const CONTENTS = 'PUT /repos/{owner}/{repo}/contents/{path}';
const PROJECT_FPR = 'CA997E838409F3F4DFBEEB204E81DBEB0A47262F';
const BASE = 'https://example.github.io/cryptolib/csaf/';

/*
 * The official provider metadata schema is not copied into this repository. It is read from
 * ../shared/schemas/csaf-2.0/ beside the checkout (or OFFICIAL_SCHEMAS_DIR) where it exists,
 * with the CSAF schema it refers to for `publisher`; elsewhere that check is skipped with a
 * message (the zod schema, written from the standard, runs everywhere).
 */
const schemaDir = resolve(
  process.env.OFFICIAL_SCHEMAS_DIR ?? join(__dirname, '..', '..', '..', 'shared', 'schemas'),
);
const providerSchemaFile = join(schemaDir, 'csaf-2.0', 'provider_json_schema.json');
const csafSchemaFile = join(schemaDir, 'csaf-2.0', 'csaf_json_schema.json');

function officialProviderProblems(metadata: unknown): string[] | undefined {
  if (!existsSync(providerSchemaFile) || !existsSync(csafSchemaFile)) {
    console.warn(
      `Not checking provider-metadata.json against the official CSAF provider schema: ${providerSchemaFile} is not there.`,
    );
    return undefined;
  }
  // `publisher` refers to the CSAF schema, which refers to the FIRST CVSS schemas (draft-04 and
  // draft-07, with versioned ids): those are added under the ids the CSAF schema names.
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(JSON.parse(readFileSync(csafSchemaFile, 'utf8')) as object);
  const folder = join(schemaDir, 'csaf-2.0');
  for (const name of readdirSync(folder).filter((f) => /^cvss-v[\d.]+\.json$/.test(f))) {
    const {
      $schema: _draft,
      $id: _id,
      id: _oldId,
      ...schema
    } = JSON.parse(readFileSync(join(folder, name), 'utf8')) as Record<string, unknown>;
    ajv.addSchema(schema, `https://www.first.org/cvss/${name}`);
  }
  const validate = ajv.compile(JSON.parse(readFileSync(providerSchemaFile, 'utf8')) as object);
  return validate(metadata)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

/**
 * The public CSAF document published on D in a CSAF provider's directory, through the real
 * Octokit client and the GitHub stand-in (requests and answers checked against GitHub's OpenAPI
 * description), the case in dynalite, the maintainers' mail in the Maildir outbox, and the
 * signature checked with GnuPG.
 */
describe('the CSAF document published in a CSAF provider directory', () => {
  let stores: Stores;
  let github: GitHubApiStandIn;
  let services: EmbargoServices;
  let log: ReturnType<typeof memoryLogger>;
  let n = 0;
  const mia = new GnuPg(['mia-secret.asc', 'project-public.asc']);

  beforeEach(async () => {
    stores = await startStores();
    github = await new GitHubApiStandIn().start();
    log = memoryLogger();
    services = stores.services({
      log,
      config: {
        ...testConfig,
        project: 'cryptolib',
        ecosystem: 'npm',
        repositoryUrl: 'https://github.com/example/cryptolib',
        supportedReleases: ['2.4', '2.3'],
        maintainers: [resolvedMaintainer('mia')],
        github: { repository: 'example/cryptolib', apiBaseUrl: github.baseUrl },
        csaf: {
          repository: 'example/cryptolib',
          folder: 'csaf',
          branch: 'gh-pages',
          baseUrl: BASE,
        },
      },
      githubToken: { token: async () => TOKEN },
    });
  });
  afterEach(async () => {
    await github.stop();
    await stores.stop();
    expect(github.violations).toEqual([]);
    expect(JSON.stringify(log.lines)).not.toContain(TOKEN);
  });
  afterAll(() => mia.close());

  async function newCase(fields: Partial<CaseRecord> = {}): Promise<CaseRecord> {
    n += 1;
    const id = `SEC-2026-${String(n).padStart(4, '0')}` as CaseId;
    const { record } = await services.cases.createIfAbsent(
      caseRecord(id, {
        title: 'Heap overflow in parse_header',
        advisory: 'The parser overflows on headers over 8 KiB.',
        affected: '>= 2.0, < 2.4.1',
        fixed: '2.4.1',
        disclosureAt: new Date(Date.now() + 10 * DAY).toISOString(),
        ...fields,
      }),
    );
    return record;
  }

  const fire = (record: CaseRecord, kind: 'advance' | 'disclosure') =>
    services.notices.fire({ caseId: record.id, kind, disclosureAt: record.disclosureAt! });

  async function command(record: CaseRecord, line: string, sourceId: string) {
    const parsed = parseCommands(line, new Date());
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return services.commands.apply((await services.cases.get(record.id))!, parsed, {
      id: sourceId,
      at: new Date().toISOString(),
      actor: 'cli',
      who: 'The admin CLI (test)',
      authentication: { method: 'cli', caller: 'test' },
    });
  }

  /** The file as the branch has it now. */
  const file = (name: string) => github.contents.files.get(`gh-pages:csaf/${name}`)?.content;
  const text = (name: string) => file(name)?.toString('utf8');
  const committedNames = () => github.contents.commits.map((c) => c.path.replace(/^csaf\//, ''));

  async function toMia(subject: RegExp): Promise<string[]> {
    const texts: string[] = [];
    for (const mail of await readMaildir(stores.outboxDir)) {
      if (mail.deliveredTo !== 'mia@example.org' || !subject.test(mail.subject)) continue;
      const opened = await openPgpMime(mia, mail);
      if ('error' in opened) throw new Error(opened.error);
      texts.push(opened.inner.text ?? '');
    }
    return texts;
  }

  /** Whether GnuPG finds `signature` a good signature by the project key over `signed`. */
  function gpgVerifies(signed: Buffer, signature: Buffer): boolean {
    const dir = mkdtempSync(join(tmpdir(), 'csaf-sig-'));
    try {
      writeFileSync(join(dir, 'doc.json'), signed);
      writeFileSync(join(dir, 'doc.json.asc'), signature);
      const out = mia.run([
        '--status-fd',
        '1',
        '--verify',
        join(dir, 'doc.json.asc'),
        join(dir, 'doc.json'),
      ]);
      return out.status === 0 && out.stdout.toString().includes(`VALIDSIG ${PROJECT_FPR}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('publishes nothing before D, then the directory once: document, hashes, signature, key, lists, metadata', async () => {
    const record = await newCase();
    await fire(record, 'advance');
    expect(github.requests).toEqual([]);

    await fire(record, 'disclosure');
    const year = new Date().getUTCFullYear();
    const doc = `${year}/${record.id.toLowerCase()}.json`;
    const key = `openpgp/${PROJECT_FPR}.asc`;
    // One commit per file, the document first, the lists after it, the metadata last.
    expect(committedNames()).toEqual([
      doc,
      `${doc}.sha256`,
      `${doc}.sha512`,
      `${doc}.asc`,
      key,
      'index.txt',
      'changes.csv',
      'provider-metadata.json',
    ]);
    expect(github.contents.commits.every((c) => c.branch === 'gh-pages')).toBe(true);

    // The document is the public one the disclosure-day mail carries, valid with CSAF's tests.
    const content = file(doc)!;
    const exported = await services.files.get(`${record.id}/exports/${record.id}.csaf.json`);
    expect(content.equals(exported)).toBe(true);
    const csaf = JSON.parse(content.toString('utf8')) as {
      document: { tracking: { status: string; version: string; current_release_date: string } };
    };
    expect(csaf.document.tracking).toMatchObject({ status: 'final', version: '1' });
    expect(csafProblems([csaf])).toEqual([[]]);

    // Requirement 18: the hashes, as sha256sum writes them; 19: the project key's signature.
    const hex = (algorithm: string) => createHash(algorithm).update(content).digest('hex');
    const filename = `${record.id.toLowerCase()}.json`;
    expect(text(`${doc}.sha256`)).toBe(`${hex('sha256')}  ${filename}\n`);
    expect(text(`${doc}.sha512`)).toBe(`${hex('sha512')}  ${filename}\n`);
    expect(gpgVerifies(content, file(`${doc}.asc`)!)).toBe(true);
    expect(gpgVerifies(Buffer.concat([content, Buffer.from(' ')]), file(`${doc}.asc`)!)).toBe(
      false,
    );
    expect(text(key)).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----');

    // Requirements 12 and 13.
    expect(text('index.txt')).toBe(`${doc}\n`);
    expect(text('changes.csv')).toBe(`"${doc}","${csaf.document.tracking.current_release_date}"\n`);

    // Requirement 7: valid by the standard's fields, and by the official schema where it is.
    const metadata = JSON.parse(text('provider-metadata.json')!) as Record<string, unknown>;
    expect(validate(csafProviderMetadataSchema, metadata)).toMatchObject({ success: true });
    expect(officialProviderProblems(metadata) ?? []).toEqual([]);
    expect(metadata).toMatchObject({
      canonical_url: `${BASE}provider-metadata.json`,
      distributions: [{ directory_url: BASE }],
      public_openpgp_keys: [{ fingerprint: PROJECT_FPR, url: `${BASE}${key}` }],
      publisher: { name: 'cryptolib', namespace: 'https://github.com/example/cryptolib' },
      role: 'csaf_provider',
    });
    // The publisher the documents name (requirement 7 asks the two to agree).
    expect(
      (JSON.parse(content.toString('utf8')) as { document: { publisher: unknown } }).document
        .publisher,
    ).toEqual(metadata.publisher);

    const after = (await services.cases.get(record.id))!;
    expect(after.csafDirectory).toMatchObject({
      repository: 'example/cryptolib',
      path: `csaf/${doc}`,
      url: `${BASE}${doc}`,
      version: '1',
    });
    expect(after.csafDirectory!.commitUrls).toHaveLength(8);
    const order = after.history.map((e) => e.type);
    expect(order.indexOf('disclosure-notice')).toBeLessThan(order.indexOf('record-published'));
    const told = await toMia(/CSAF document .* published/);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(`${BASE}${doc}`);
    expect(told[0]).toContain(after.csafDirectory!.commitUrls[0]!);

    // The notice again: nothing committed, nothing mailed.
    await fire(record, 'disclosure');
    expect(github.contents.commits).toHaveLength(8);
    expect(await toMia(/CSAF document .* published/)).toHaveLength(1);

    // A second case adds its lines to the lists; the key and the metadata stay as they are.
    const second = await newCase();
    await fire(second, 'disclosure');
    const doc2 = `${year}/${second.id.toLowerCase()}.json`;
    expect(committedNames().slice(8)).toEqual([
      doc2,
      `${doc2}.sha256`,
      `${doc2}.sha512`,
      `${doc2}.asc`,
      'index.txt',
      'changes.csv',
    ]);
    expect(text('index.txt')).toBe(`${doc2}\n${doc}\n`);
    expect(text('changes.csv')!.trim().split('\n')).toHaveLength(2);
  });

  it('after a 502 that followed a commit, and a run stopped half-way, writes each file once', async () => {
    const record = await newCase();
    github.failNext(
      { status: 502, body: { message: 'Bad gateway' }, operation: CONTENTS, afterOperating: true },
      { status: 502, body: { message: 'Bad gateway' }, operation: CONTENTS },
      { status: 502, body: { message: 'Bad gateway' }, operation: CONTENTS },
      { status: 502, body: { message: 'Bad gateway' }, operation: CONTENTS },
    );
    // The document was committed (its answer lost); the hash's three attempts all fail.
    await fire(record, 'disclosure');
    expect(committedNames()).toHaveLength(1);
    let after = (await services.cases.get(record.id))!;
    expect(after.csafDirectory).toBeUndefined();
    expect(after.history.at(-1)?.summary).toContain('CSAF document not published');
    expect(await toMia(/CSAF document was NOT published/)).toHaveLength(1);

    // The next run of the notice finishes the job without writing the document again.
    await fire(record, 'disclosure');
    const names = committedNames();
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(8);
    after = (await services.cases.get(record.id))!;
    expect(after.csafDirectory?.version).toBe('1');
  });

  it('after D, a change to the case publishes a new revision: document, hashes, signature, a new line in changes.csv', async () => {
    const record = await newCase();
    await fire(record, 'disclosure');
    const doc = `${new Date().getUTCFullYear()}/${record.id.toLowerCase()}.json`;
    const firstSignature = file(`${doc}.asc`)!;

    // A block that changes nothing in the document commits nothing.
    const label = await command(record, '/label crypto', 'label');
    expect(mailEffectLines(label.mail).join('\n')).not.toContain('CSAF');
    expect(github.contents.commits).toHaveLength(8);

    await new Promise((r) => setTimeout(r, 1100));
    const applied = await command(record, '/cve CVE-2026-5555', 'cve');
    expect(mailEffectLines(applied.mail).join('\n')).toContain(
      `the new CSAF revision published in the CSAF provider directory of example/cryptolib (${BASE}${doc}`,
    );
    expect(committedNames().slice(8)).toEqual([
      doc,
      `${doc}.sha256`,
      `${doc}.sha512`,
      `${doc}.asc`,
      'changes.csv',
    ]);
    const content = file(doc)!;
    const csaf = JSON.parse(content.toString('utf8')) as {
      document: { tracking: { version: string; current_release_date: string } };
      vulnerabilities: { cve?: string }[];
    };
    expect(csaf.document.tracking.version).toBe('2');
    expect(csaf.vulnerabilities[0]!.cve).toBe('CVE-2026-5555');
    expect(csafProblems([csaf])).toEqual([[]]);
    expect(gpgVerifies(content, file(`${doc}.asc`)!)).toBe(true);
    expect(gpgVerifies(content, firstSignature)).toBe(false);
    const changes = text('changes.csv')!.trim().split('\n');
    expect(changes).toHaveLength(2);
    expect(changes[0]).toBe(`"${doc}","${csaf.document.tracking.current_release_date}"`);
    expect((await services.cases.get(record.id))!.csafDirectory).toMatchObject({ version: '2' });
    expect(await toMia(/CSAF document .* version 2 published/)).toHaveLength(1);

    // The same block again: nothing.
    await command(record, '/cve CVE-2026-5555', 'cve');
    expect(github.contents.commits).toHaveLength(13);
  });
  it('after D, never edits a published version silently: a document changed by the configuration alone waits for the next revision', async () => {
    const record = await newCase();
    await fire(record, 'disclosure');
    expect(github.contents.commits).toHaveLength(8);
    const doc = `${new Date().getUTCFullYear()}/${record.id.toLowerCase()}.json`;
    const published = file(doc)!;
    // The project renamed in the configuration: the document would read differently, at the
    // same version.
    const renamed = stores.services({
      log,
      config: { ...services.config, project: 'cryptolib-ng' },
      githubToken: { token: async () => TOKEN },
    });
    const parsed = parseCommands('/label crypto', new Date());
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await renamed.commands.apply((await renamed.cases.get(record.id))!, parsed, {
      id: 'renamed-label',
      at: new Date().toISOString(),
      actor: 'cli',
      who: 'The admin CLI (test)',
      authentication: { method: 'cli', caller: 'test' },
    });
    expect(github.contents.commits).toHaveLength(8);
    expect(file(doc)).toEqual(published);
  });

  it('after D, a refused write is recorded and told, and the next command publishes the revision', async () => {
    const record = await newCase();
    await fire(record, 'disclosure');
    github.failNext({
      status: 403,
      body: { message: 'Resource not accessible by personal access token' },
      operation: CONTENTS,
    });
    await command(record, '/cve CVE-2026-6666', 'cve-403');
    expect(github.contents.commits).toHaveLength(8);
    let after = (await services.cases.get(record.id))!;
    expect(after.csafDirectory?.version).toBe('1');
    expect(after.history.at(-1)?.summary).toContain('CSAF document not published');
    const told = await toMia(/CSAF document was NOT published/);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('"Contents: Read and write"');
    expect(told[0]).toContain('/status will do');

    await command(record, '/status', 'status');
    expect(github.contents.commits).toHaveLength(13);
    after = (await services.cases.get(record.id))!;
    expect(after.csafDirectory?.version).toBe('2');
  });
});
