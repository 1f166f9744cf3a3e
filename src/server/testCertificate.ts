import { isIP } from 'node:net';
import { generate } from 'selfsigned';

/** A server certificate and the CA that signed it, all PEM. */
export interface TestCertificate {
  /** The server's private key. */
  readonly keyPem: string;
  /** The server's certificate, signed by the CA. */
  readonly certPem: string;
  /** The CA certificate a client trusts to verify the server (`ca` option of `http2.connect`). */
  readonly caPem: string;
}

/**
 * Generates a throwaway CA and a server certificate it signs, valid for one
 * day, naming `host`, `localhost`, 127.0.0.1 and ::1. A separate CA (rather
 * than one self-signed leaf) lets clients verify the chain the ordinary way
 * with `rejectUnauthorized` left on. EC P-256 keys take milliseconds to make;
 * RSA-2048 would take most of a second per start.
 */
export async function generateTestCertificate(host: string): Promise<TestCertificate> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 24 * 3_600_000);
  const ca = await generate([{ name: 'commonName', value: 'h2flow test CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const altNames: { type: 2 | 7; value?: string; ip?: string }[] = [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
    { type: 7, ip: '::1' },
  ];
  const wildcard = host === '0.0.0.0' || host === '::';
  if (!wildcard && host !== 'localhost' && host !== '127.0.0.1' && host !== '::1') {
    altNames.push(isIP(host) ? { type: 7, ip: host } : { type: 2, value: host });
  }
  const leaf = await generate([{ name: 'commonName', value: wildcard ? 'localhost' : host }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { keyPem: leaf.private, certPem: leaf.cert, caPem: ca.cert };
}
