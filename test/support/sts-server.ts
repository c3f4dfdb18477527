import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local endpoint for STS GetCallerIdentity (AWS query protocol), the one STS call the CLI
 * makes; no STS emulator runs here. It answers for the access key in the request's SigV4
 * Authorization header, so a test can tell whose identity the CLI recorded.
 */
export async function startCallerIdentityServer(arnOf: (accessKeyId: string) => string) {
  const requests: { action: string; accessKeyId: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const action = new URLSearchParams(body).get('Action') ?? '';
      const accessKeyId = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
      requests.push({ action, accessKeyId });
      if (action !== 'GetCallerIdentity' || !accessKeyId) {
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end(
          '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>only GetCallerIdentity, signed</Message></Error></ErrorResponse>',
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${arnOf(accessKeyId)}</Arn><UserId>${accessKeyId}</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>local</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
