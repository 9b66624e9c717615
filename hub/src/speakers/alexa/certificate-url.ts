/**
 * Where Alexa's signing certificate may come from: the rules Amazon gives for self-hosted skills
 * ("Host a custom skill as a web service", checking the SignatureCertChainUrl): https, the host
 * s3.amazonaws.com (case-insensitive), a path under /echo.api/ (case-sensitive, after `..` is
 * resolved), and port 443 when a port is given. Tests name their own host and port.
 */
export interface CertificateSource {
  host: string;
  port: number;
}

export const AMAZON_CERTIFICATE_SOURCE: CertificateSource = { host: 's3.amazonaws.com', port: 443 };

/** Why the URL is not one Alexa's certificate may come from, or undefined when it may. */
export function certificateUrlProblem(raw: string, source: CertificateSource): string | undefined {
  let url: URL;
  try {
    // The WHATWG parser lower-cases the scheme and host, resolves `..`, and drops a default port.
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:') return `scheme ${url.protocol} is not https`;
  if (url.hostname !== source.host.toLowerCase()) return `host ${url.hostname} is not ${source.host}`;
  const port = url.port === '' ? 443 : Number(url.port);
  if (port !== source.port) return `port ${port} is not ${source.port}`;
  if (!url.pathname.startsWith('/echo.api/')) return `path ${url.pathname} is not under /echo.api/`;
  if (url.username !== '' || url.password !== '') return 'the URL carries credentials';
  return undefined;
}
