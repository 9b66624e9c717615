import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A signing chain as Alexa serves one: the leaf (with its key) first, then its intermediate. */
export interface TestChain {
  /** The PEM Alexa would serve at SignatureCertChainUrl: leaf, then intermediate. */
  pem: string;
  leafKey: string;
}

/** Roots and chains for tests of the Alexa request verifier, made with the openssl CLI at run time. */
export interface AlexaTestCertificates {
  /** The root the hub under test trusts. */
  root: string;
  /** Leaf for echo-api.amazon.com ← intermediate ← root: what Alexa signs with. */
  good: TestChain;
  /** The same shape under a root the hub does not trust. */
  untrusted: TestChain;
  /** Issued by the trusted intermediate, but for another name than echo-api.amazon.com. */
  wrongName: TestChain;
  /** Alexa's shape and trusted, but expired in 2021. */
  expired: TestChain;
}

const openssl = (dir: string, args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

/** Valid from 2020 to 2040, so tests may set their clocks to any date of these years. */
const VALID = { from: '20200101000000Z', to: '20400101000000Z' };
/** A leaf that expired in 2021. */
const EXPIRED = { from: '20200101000000Z', to: '20210101000000Z' };

/** A minimal `openssl ca` set-up: the only way openssl 3.0 sets a certificate's dates explicitly. */
const CA_CONFIG = `[ ca ]
default_ca = test
[ test ]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
unique_subject = no
[ any ]
commonName = supplied
`;

const CA_EXTENSIONS = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n';
const leafExtensions = (name: string) =>
  `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nsubjectAltName=DNS:${name}\n`;

/**
 * A certificate `name` for `subject` with `extensions`, issued by the CA `issuer` (or by itself
 * when none) for the given dates.
 */
function issue(
  dir: string,
  name: string,
  subject: string,
  extensions: string,
  issuer: string | undefined,
  dates = VALID,
): void {
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, [
    'req',
    '-new',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    subject,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
  ]);
  openssl(dir, [
    'ca',
    '-batch',
    '-notext',
    '-config',
    'ca.cnf',
    ...(issuer ? ['-cert', `${issuer}.pem`, '-keyfile', `${issuer}.key`] : ['-selfsign', '-keyfile', `${name}.key`]),
    '-startdate',
    dates.from,
    '-enddate',
    dates.to,
    '-extfile',
    `${name}.ext`,
    '-in',
    `${name}.csr`,
    '-out',
    `${name}.pem`,
  ]);
}

let made: AlexaTestCertificates | undefined;

/**
 * Test certificates in Alexa's shape, made once per test process with openssl (the tool the
 * project's TLS tests already use): a trusted root with an intermediate and an
 * echo-api.amazon.com leaf, a chain under another root, a leaf for another name and one that
 * has expired. Valid from 2020 to 2040, whatever day the tests run on.
 */
export function alexaTestCertificates(): AlexaTestCertificates {
  if (made) return made;
  const dir = mkdtempSync(join(tmpdir(), 'mimamori-alexa-certs-'));
  try {
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG);
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), '1000\n');
    const alexaName = '/CN=echo-api.amazon.com';
    issue(dir, 'root', '/CN=Test Root', CA_EXTENSIONS, undefined);
    issue(dir, 'stranger-root', '/CN=Stranger Root', CA_EXTENSIONS, undefined);
    issue(dir, 'intermediate', '/CN=Test Intermediate', CA_EXTENSIONS, 'root');
    issue(dir, 'stranger-intermediate', '/CN=Stranger Intermediate', CA_EXTENSIONS, 'stranger-root');
    issue(dir, 'leaf', alexaName, leafExtensions('echo-api.amazon.com'), 'intermediate');
    issue(dir, 'stranger-leaf', alexaName, leafExtensions('echo-api.amazon.com'), 'stranger-intermediate');
    issue(dir, 'other-leaf', '/CN=example.com', leafExtensions('example.com'), 'intermediate');
    issue(dir, 'expired-leaf', alexaName, leafExtensions('echo-api.amazon.com'), 'intermediate', EXPIRED);
    const chain = (leaf: string, intermediate: string): TestChain => ({
      pem: read(`${leaf}.pem`) + read(`${intermediate}.pem`),
      leafKey: read(`${leaf}.key`),
    });
    made = {
      root: read('root.pem'),
      good: chain('leaf', 'intermediate'),
      untrusted: chain('stranger-leaf', 'stranger-intermediate'),
      wrongName: chain('other-leaf', 'intermediate'),
      expired: chain('expired-leaf', 'intermediate'),
    };
    return made;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
