import { isAbsolute, relative, resolve } from 'node:path';
import { ENV_SETTINGS, type Config } from './schema.js';

/** What Node and better-sqlite3 attach to a failed listen, open or read. */
interface SystemError {
  code?: string;
  syscall?: string;
  port?: number;
  path?: string;
  message: string;
}

/**
 * The setting to fix when the hub failed to start because of one, or undefined for any other
 * failure. A port in use, a TLS file that is not there and a data directory the hub's user cannot
 * write are configuration problems, and end like one: a message naming the setting and exit 78,
 * not a stack trace (issue 20). docs/configuration.md lists them.
 */
export function startupProblem(error: unknown, config: Config): string | undefined {
  const failure = error as SystemError;
  const line = settingAtFault(failure, config);
  if (!line) return undefined;
  return `The hub cannot start: its configuration is wrong.\n- ${line}\nFix this setting (see docs/configuration.md) and start again.`;
}

function settingAtFault(error: SystemError, config: Config): string | undefined {
  if (error.syscall === 'listen' || error.syscall === 'bind') return listenProblem(error, config);
  const { certFile, keyFile } = config.tls;
  for (const [path, file] of [
    ['tls.certFile', certFile],
    ['tls.keyFile', keyFile],
  ] as const) {
    if (file && error.path && resolve(error.path) === resolve(file))
      return `${named(path)}: cannot read ${file} (${error.code ?? error.message})`;
  }
  if (error.code?.startsWith('ERR_OSSL') && certFile)
    return `${named('tls.certFile')} / ${named('tls.keyFile')}: ${certFile} and ${keyFile} are not a PEM certificate and its key (${error.message})`;
  if (inDataDir(error, config) || error.code === 'SQLITE_CANTOPEN' || error.code === 'SQLITE_READONLY') {
    const user = process.getuid?.() ?? 'unknown';
    return `${named('dataDir')}: ${resolve(config.dataDir)} cannot be written by the hub's user (uid ${user}): ${error.message}. Create it and give it to that user (chown), or point the setting elsewhere`;
  }
  return undefined;
}

function listenProblem(error: SystemError, config: Config): string | undefined {
  const setting =
    error.port === config.http.port
      ? 'http'
      : error.port === config.mqtt.port && !config.mqtt.external
        ? 'mqtt'
        : undefined;
  if (!setting) return undefined;
  const { host, port } = config[setting];
  switch (error.code) {
    case 'EADDRINUSE':
      return `${named(`${setting}.port`)}: port ${port} on ${host} is already in use by another program (another hub?); stop it or choose another port`;
    case 'EACCES':
      return `${named(`${setting}.port`)}: port ${port} needs privileges this user does not have; use a port from 1024 up`;
    case 'EADDRNOTAVAIL':
      return `${named(`${setting}.host`)}: ${host} is not an address of this machine; use one of its addresses, or 0.0.0.0 for all`;
    default:
      return undefined;
  }
}

function inDataDir(error: SystemError, config: Config): boolean {
  if (!error.path || !['EACCES', 'EPERM', 'EROFS', 'ENOENT'].includes(error.code ?? '')) return false;
  const inside = relative(resolve(config.dataDir), resolve(error.path));
  return !inside.startsWith('..') && !isAbsolute(inside);
}

/** A setting with the environment variable that sets it, as the configuration errors name them. */
function named(path: string): string {
  const variable = Object.entries(ENV_SETTINGS).find(([, setting]) => setting === path)?.[0];
  return variable ? `${path} (${variable})` : path;
}
