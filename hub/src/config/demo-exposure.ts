import { isIPv4, isIPv6 } from 'node:net';
import type { Config } from './schema.js';

/**
 * Whether a demo hub's logins face a network: its HTTP listener is bound to an address other
 * machines can reach. The demo passwords are published (README), so anyone there could log in
 * as admin. MQTT alone is no such door: devices need secrets the hub issues.
 */
export function demoFacesNetwork(config: Pick<Config, 'mode' | 'http'>): boolean {
  return config.mode === 'demo' && !isLoopback(config.http.host);
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIPv4(host)) return host.startsWith('127.');
  if (isIPv6(host)) return host === '::1' || /^::ffff:127\./i.test(host);
  return false;
}

/** Printed above the banner of a demo hub that was allowed onto the network. */
export const DEMO_ON_NETWORK_WARNING = [
  '!!! WARNING: this DEMO hub listens on the network, and its logins (below) are published in the README.',
  '!!! Anyone who can reach it can log in as admin. Use it on a network you trust, briefly, with no real data.',
];
