import type { Config } from './schema.js';

/** A wildcard listen address as a reader on the same machine can open it. */
const displayHost = (host: string): string => (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);

/**
 * Where the hub listens, as people and links should say it: the HTTP address (the dashboard)
 * and where devices connect, given the ports the listeners got (a configured 0 takes any).
 */
export function listenAddresses(config: Config, httpPort: number, mqttPort: number): { http: string; mqtt: string } {
  const secure = config.tls.certFile !== undefined;
  const http = `${secure ? 'https' : 'http'}://${displayHost(config.http.host)}:${httpPort}`;
  const mqtt = config.mqtt.external
    ? config.mqtt.external.url
    : `${secure ? 'mqtts' : 'mqtt'}://${displayHost(config.mqtt.host)}:${mqttPort}`;
  return { http, mqtt };
}
