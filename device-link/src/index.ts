/** What every device of a home shares, simulated or real: its link to the hub and how it reads commands. */
export { DeviceLink, type DeviceCredentials, type DeviceLinkOptions } from './device-link.js';
export { isPromptExpired, promptExpiresAt, readCommand, type CommandReading, type PromptCommand } from './commands.js';
export { localIsoTime } from './local-time.js';
export { silentLog, type Log } from './log.js';
