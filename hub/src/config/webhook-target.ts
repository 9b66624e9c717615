import { BlockList, isIP } from 'node:net';

/**
 * Link-local addresses: no webhook receiver lives there, but cloud metadata services do
 * (169.254.169.254 hands out credentials), and a webhook's response is never read — yet a
 * request there is a request the hub was made to send.
 */
const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6');

/** Names of this machine, as a URL may spell them. */
const THIS_MACHINE = new Set(['localhost', '127.0.0.1', '[::1]', '0.0.0.0', '[::]']);

/**
 * Why a webhook URL must not be saved, or undefined (issue 23): one pointing at the hub's own
 * HTTP API (each alert would make the hub call itself, with a signed body an attacker chose the
 * address of) or at a link-local address. Checked when the configuration is read, the only place
 * webhook URLs are saved; a name that resolves there later is outside what this can see.
 */
export function webhookTargetProblem(
  url: string,
  hub: { host: string; port: number; publicUrl?: string | undefined },
): string | undefined {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const family = isIP(host);
  if (family !== 0 && LINK_LOCAL.check(host, family === 4 ? 'ipv4' : 'ipv6'))
    return 'must not point at a link-local address (169.254.0.0/16, fe80::/10)';
  if (hub.publicUrl && new URL(hub.publicUrl).origin === target.origin)
    return 'must not point at the hub itself (notify.publicUrl)';
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const sameMachine = THIS_MACHINE.has(target.hostname) || target.hostname === hub.host;
  if (hub.port !== 0 && port === hub.port && sameMachine)
    return 'must not point at the hub itself (http.host and http.port)';
  return undefined;
}
