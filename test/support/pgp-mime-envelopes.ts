/**
 * The two PGP/MIME envelopes of RFC 3156, as mail clients send them, around content a real
 * GnuPG made: the header lines come first (`Name: value`, in order), CRLF line ends throughout.
 */

const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

/** multipart/encrypted (RFC 3156 §4): the version part, then the armored OpenPGP message. */
export function encryptedEnvelope(headers: string[], armored: string): string {
  return [
    ...headers,
    'MIME-Version: 1.0',
    'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="enc"',
    '',
    '--enc',
    'Content-Type: application/pgp-encrypted',
    '',
    'Version: 1',
    '--enc',
    'Content-Type: application/octet-stream; name="encrypted.asc"',
    '',
    crlf(armored.trim()),
    '--enc--',
    '',
  ].join('\r\n');
}

/**
 * multipart/signed (RFC 3156 §5): `part` exactly as it was signed (its own headers, CRLF line
 * ends), then the armored detached signature.
 */
export function signedEnvelope(headers: string[], part: string, signature: string): string {
  return [
    ...headers,
    'MIME-Version: 1.0',
    'Content-Type: multipart/signed; micalg=pgp-sha512; protocol="application/pgp-signature"; boundary="sig"',
    '',
    '--sig',
    part,
    '--sig',
    'Content-Type: application/pgp-signature; name="signature.asc"',
    '',
    crlf(signature.trim()),
    '--sig--',
    '',
  ].join('\r\n');
}
