import { X509Certificate, type KeyObject } from 'node:crypto';
import { get } from 'node:https';
import type { Clock } from '@mimamori/contract';
import { remember } from '../../recent-map.js';

/** The name Alexa's signing certificate must carry in its subject alternative names. */
export const ALEXA_SIGNING_NAME = 'echo-api.amazon.com';

/** A chain that cannot vouch for a request: `reason` is what metrics count, `detail` what the log says. */
export class ChainRefused extends Error {
  constructor(
    readonly reason: 'certificate_unavailable' | 'untrusted_certificate',
    readonly detail: string,
  ) {
    super(detail);
  }
}

interface CheckedChain {
  key: KeyObject;
  /** The span in which every certificate of the chain, and its root, is valid. */
  validFrom: number;
  validTo: number;
}

export interface CertificateChainsDeps {
  /** The roots a chain must lead to (Node's bundled Mozilla roots in production, which hold Amazon's and DigiCert's). */
  trustedRoots: readonly string[];
  /** Downloads a chain (PEM); `fetchPem` by default. */
  fetch: (url: string) => Promise<string>;
  clock: Clock;
}

/** Chains kept, by URL: Alexa uses one or two; a bound keeps odd URLs from growing the cache. */
const CACHED_CHAINS = 16;

/**
 * Alexa's signing certificates, fetched once per URL and kept (Amazon asks skills to cache
 * them), each checked as Amazon requires: every certificate valid now, each issued and signed by
 * the next, the last by one of the trusted roots, and the leaf naming echo-api.amazon.com.
 */
export class CertificateChains {
  /** Parsed at the first chain, not at start: Node bundles about 150 roots, and most hubs never see a request. */
  #roots: X509Certificate[] | undefined;
  readonly #cache = new Map<string, CheckedChain>();

  constructor(private readonly deps: CertificateChainsDeps) {}

  /** The public key that signs requests with this chain, or a `ChainRefused`. */
  async signingKey(url: string): Promise<KeyObject> {
    let chain = this.#cache.get(url);
    if (!chain) {
      let pem: string;
      try {
        pem = await this.deps.fetch(url);
      } catch (error) {
        throw new ChainRefused('certificate_unavailable', `cannot fetch ${url}: ${(error as Error).message}`);
      }
      chain = this.#check(pem);
      remember(this.#cache, url, chain, CACHED_CHAINS);
    }
    const now = this.deps.clock.now();
    if (now < chain.validFrom || now > chain.validTo) {
      this.#cache.delete(url);
      throw new ChainRefused('untrusted_certificate', `the chain at ${url} is not valid now`);
    }
    return chain.key;
  }

  #check(pem: string): CheckedChain {
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    let certs: X509Certificate[];
    try {
      certs = blocks.map((block) => new X509Certificate(block));
    } catch (error) {
      throw new ChainRefused('untrusted_certificate', `unreadable certificate: ${(error as Error).message}`);
    }
    const [leaf] = certs;
    const top = certs.at(-1);
    if (!leaf || !top) throw new ChainRefused('untrusted_certificate', 'no certificate in the chain');
    const names = (leaf.subjectAltName ?? '').split(/,\s*/);
    if (!names.includes(`DNS:${ALEXA_SIGNING_NAME}`))
      throw new ChainRefused('untrusted_certificate', `the leaf does not name ${ALEXA_SIGNING_NAME}`);
    for (let i = 0; i + 1 < certs.length; i++) {
      const [cert, issuer] = [certs[i] as X509Certificate, certs[i + 1] as X509Certificate];
      if (!issuer.ca || !cert.checkIssued(issuer) || !cert.verify(issuer.publicKey))
        throw new ChainRefused('untrusted_certificate', `certificate ${i} is not issued by the next one`);
    }
    this.#roots ??= this.deps.trustedRoots.map((root) => new X509Certificate(root));
    const root = this.#roots.find(
      (r) => r.fingerprint256 === top.fingerprint256 || (r.ca && top.checkIssued(r) && top.verify(r.publicKey)),
    );
    if (!root) throw new ChainRefused('untrusted_certificate', 'the chain does not lead to a trusted root');
    const all = [...certs, root];
    const chain = {
      key: leaf.publicKey,
      validFrom: Math.max(...all.map((c) => Date.parse(c.validFrom))),
      validTo: Math.min(...all.map((c) => Date.parse(c.validTo))),
    };
    const now = this.deps.clock.now();
    if (now < chain.validFrom || now > chain.validTo)
      throw new ChainRefused('untrusted_certificate', 'a certificate of the chain is not valid now');
    return chain;
  }
}

const FETCH_TIMEOUT_MS = 5000;
/** A chain is a few kilobytes; anything much larger is not one. */
const MAX_CHAIN_BYTES = 64 * 1024;

/** Downloads a certificate chain over HTTPS (trusting `ca` for the connection when given, else Node's roots). */
export function fetchPem(url: string, ca?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = get(url, { timeout: FETCH_TIMEOUT_MS, ...(ca && { ca }) }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`HTTP ${response.statusCode}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_CHAIN_BYTES) request.destroy(new Error('the chain is too large'));
        else chunks.push(chunk);
      });
      response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
  });
}
