import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import DNS from 'dns2';
import { runCliAsync } from '../../support/local-process';
import { PGP_FIXTURES } from '../../support/local-stores';

/**
 * `npx embargo doctor` as an operator runs it, with every AWS endpoint on a closed local port
 * (no AWS here: those checks report that they could not look) and DNS from a local server.
 */
describe('npx embargo doctor', () => {
  let dir: string;
  let server: DNS.DnsServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'embargo-doctor-cli-'));
    writeFileSync(
      join(dir, 'embargo.config.json'),
      JSON.stringify({
        project: 'example',
        securityAddress: 'security@example.org',
        announceAddress: 'announce@example.org',
        maintainers: [
          {
            name: 'Mia',
            email: 'mia@example.org',
            publicKeyFile: join(PGP_FIXTURES, 'mia-public.asc'),
          },
        ],
      }),
    );
    const { Packet } = DNS;
    server = DNS.createServer({
      udp: true,
      handle: (request, send) => {
        const response = Packet.createResponseFromRequest(request);
        const name = request.questions[0]!.name;
        if (name === 'example.org') {
          response.answers.push({
            name,
            type: Packet.TYPE.MX,
            class: Packet.CLASS.IN,
            ttl: 300,
            priority: 10,
            exchange: 'inbound-smtp.us-east-1.amazonaws.com',
          } as DNS.Packet.Resource);
        }
        void send(response);
      },
    });
    const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
    env = {
      EMBARGO_CONFIG: join(dir, 'embargo.config.json'),
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'not-a-secret',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
      DOCTOR_DNS: `127.0.0.1:${addresses.udp!.port}`,
      NO_COLOR: '1',
    };
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('prints each check with what to do, within 80 columns, and exits 1 when one fails', async () => {
    const { status, stdout, stderr } = await runCliAsync(['doctor', '--dns', env.DOCTOR_DNS!], env);
    expect(status).toBe(1);
    expect(stdout).toMatch(/^ok {5}Region receives mail$/m);
    // The MX names another region's endpoint.
    expect(stdout).toMatch(/^FAIL {3}MX record$/m);
    expect(stdout.replace(/\s+/g, ' ')).toContain(
      'Replace it with example.org MX 10 inbound-smtp.eu-west-1.amazonaws.com',
    );
    // Without AWS, the AWS checks say they could not look, and why.
    expect(stdout).toMatch(
      /^skip {3}SES account\n {7}Could not check: ses:GetAccount: the network did not answer/m,
    );
    expect(stdout).toMatch(/^ok {5}Maintainers' keys$/m);
    for (const line of stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    // eslint-disable-next-line no-control-regex
    expect(stdout).not.toMatch(/\u001b\[/);
    expect(stderr.trim()).toBe(
      [
        'Error DOCTOR_CHECKS_FAILED: 1 check failed.',
        'To do: Do what the FAIL lines say, then run doctor again.',
      ].join('\n'),
    );
  }, 60_000);

  test('--json prints the results; a region without SES receiving fails first', async () => {
    const { status, stdout } = await runCliAsync(['doctor', '--json', '--dns', env.DOCTOR_DNS!], {
      ...env,
      AWS_REGION: 'ap-southeast-3',
    });
    expect(status).toBe(1);
    const results = JSON.parse(stdout) as { title: string; status: string; action?: string }[];
    expect(results[0]).toMatchObject({ title: 'Region receives mail', status: 'fail' });
    expect(results[0]!.action).toContain('https://docs.aws.amazon.com/general/latest/gr/ses.html');
    expect(results.map((r) => r.title)).toContain('Lambda concurrency');
  }, 60_000);

  test('refuses a context value the deploy would refuse, naming it', async () => {
    const { status, stdout, stderr } = await runCliAsync(
      ['doctor', '-c', 'intakeConcurrency=lots'],
      env,
    );
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^Error DEPLOY_SETTING_INVALID: The intakeConcurrency context value is not valid.*\nTo do: .*-c intakeConcurrency=10/m,
    );
  }, 60_000);
});
