#!/usr/bin/env node
import { pino } from 'pino';
import { runMosquittoConfigCommand } from './broker/mosquitto-command.js';
import {
  ConfigError,
  DEMO_ON_NETWORK_WARNING,
  demoFacesNetwork,
  listenAddresses,
  loadConfig,
  startupProblem,
  type Config,
} from './config/index.js';
import { runImportCommand } from './history/index.js';
import { Hub } from './hub.js';
import { runVerifyAuditCommand } from './reports/verify-audit-command.js';
import { systemClock } from './time/index.js';
import { DEMO_USERS } from './users-seed.js';

/**
 * The process entry point: reads the configuration, starts the hub, prints where it listens,
 * and stops it on SIGINT/SIGTERM; or, as `import <file>`, loads a history file while the hub is
 * stopped. Nothing imports this file.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = pino({ level: config.logLevel, name: 'mimamori-hub' });
  const [command, file] = process.argv.slice(2);
  if (command === 'import') {
    if (!file) {
      process.stderr.write('usage: mimamori-hub import <history.jsonl | ->   (docs/history-import.md)\n');
      process.exit(64); // EX_USAGE
    }
    process.exit(
      await runImportCommand(file, {
        config,
        clock: systemClock,
        logger,
        out: (line) => process.stdout.write(`${line}\n`),
      }),
    );
  }
  if (command === 'verify-audit') {
    process.exit(runVerifyAuditCommand({ config, out: (line) => process.stdout.write(`${line}\n`) }));
  }
  if (command === 'mosquitto-config') {
    process.exit(
      runMosquittoConfigCommand(process.argv.slice(3), { config, out: (line) => process.stdout.write(`${line}\n`) }),
    );
  }
  if (command !== undefined) {
    process.stderr.write(
      `unknown command "${command}"; run without arguments to start the hub, or: mimamori-hub import <file> | mosquitto-config <dir> | verify-audit\n`,
    );
    process.exit(64);
  }
  const hub = new Hub({ config, clock: systemClock, logger });
  try {
    await hub.start();
  } catch (error) {
    const problem = startupProblem(error, config);
    if (!problem) throw error;
    process.stderr.write(`${problem}\n`);
    await hub.stop().catch(() => undefined);
    process.exit(78); // EX_CONFIG, as for a wrong setting
  }
  process.stdout.write(`${banner(config, hub.httpPort, hub.mqttPort).join('\n')}\n`);
  process.stdout.write(`${readyLine(config, hub.httpPort, hub.mqttPort)}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    hub.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** For people: where to open the dashboard, where devices connect, and the demo's logins. */
function banner(config: Config, httpPort: number, mqttPort: number): string[] {
  const { http, mqtt } = listenAddresses(config, httpPort, mqttPort);
  return [
    ...(demoFacesNetwork(config) ? DEMO_ON_NETWORK_WARNING : []),
    `Mimamori Hub is running (${config.mode} mode, data in ${config.dataDir})`,
    `  Dashboard:  ${http}/   (API reference: ${http}/docs)`,
    config.mqtt.external
      ? `  MQTT:       ${mqtt}   (external broker, as ${config.mqtt.external.username})`
      : `  MQTT:       ${mqtt}   (WebSocket: ${http.replace('http', 'ws')}/mqtt)`,
    ...(config.mode === 'demo' ? DEMO_USERS.map((u) => `  demo login: ${u.username} / ${u.password} (${u.role})`) : []),
  ];
}

/**
 * For programs (the demo script, process tests, a supervisor): one JSON line once the hub
 * listens, so they need not parse the banner, which is for people and may change (issue 17).
 */
function readyLine(config: Config, httpPort: number, mqttPort: number): string {
  const { http, mqtt } = listenAddresses(config, httpPort, mqttPort);
  return JSON.stringify({
    mimamori: 'ready',
    http: { url: http, port: httpPort },
    mqtt: { url: mqtt, port: mqttPort },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`Mimamori Hub failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
