import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config/index.js';
import { DeviceRepository, openDatabase } from '../store/index.js';
import { mosquittoFiles } from './mosquitto-config.js';

export const MOSQUITTO_USAGE = 'usage: mimamori-hub mosquitto-config <dir> [port]   (docs/scaling.md)';

/**
 * `mimamori-hub mosquitto-config <dir> [port]`: writes `passwd`, `acl` and `mimamori.conf` for
 * a Mosquitto broker the hub joins (mqtt.external), from the hub's device registry. Run it again
 * after issuing or revoking device credentials, then reload Mosquitto (SIGHUP). Returns the
 * process exit code.
 */
export function runMosquittoConfigCommand(
  args: readonly string[],
  deps: { config: Config; out: (line: string) => void },
): number {
  const { config, out } = deps;
  const [target, portArg = '1883'] = args;
  const port = Number(portArg);
  if (!target || !Number.isInteger(port) || port < 1 || port > 65_535) {
    out(MOSQUITTO_USAGE);
    return 64; // EX_USAGE
  }
  const external = config.mqtt.external;
  if (!external) {
    out(
      'mqtt.external is not configured: set MIMAMORI_MQTT_EXTERNAL_URL and MIMAMORI_MQTT_EXTERNAL_PASSWORD (the hub’s account on the broker)',
    );
    return 78; // EX_CONFIG
  }
  const dir = resolve(target);
  const db = openDatabase(join(config.dataDir, 'mimamori.sqlite'));
  let files;
  try {
    files = mosquittoFiles(new DeviceRepository(db).brokerAccounts(), {
      hub: external,
      dir,
      port,
      limits: config.mqtt,
    });
  } catch (error) {
    out((error as Error).message);
    return 1;
  } finally {
    db.close();
  }
  mkdirSync(dir, { recursive: true });
  // The password file holds hashes of every device secret: readable by the broker only.
  writeFileSync(join(dir, 'passwd'), files.passwd, { mode: 0o600 });
  writeFileSync(join(dir, 'acl'), files.acl);
  writeFileSync(join(dir, 'mimamori.conf'), files.conf);
  const devices = files.passwd.trimEnd().split('\n').length - 1;
  out(`Wrote ${dir}/passwd (${devices} devices and ${external.username}), ${dir}/acl and ${dir}/mimamori.conf.`);
  if (files.skipped.length > 0) {
    out(
      `Left out (secret issued before this hub kept broker hashes; issue new credentials): ${files.skipped.join(', ')}`,
    );
  }
  out('Reload Mosquitto to apply: kill -HUP <mosquitto pid>, or systemctl reload mosquitto.');
  return 0;
}
