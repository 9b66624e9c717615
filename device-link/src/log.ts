/** Where a device (simulated or real) reports notable things, one compact line each. */
export interface Log {
  /** Progress (connected, prompt answered, SOS pressed). */
  info(line: string): void;
  /** Something went wrong but the device goes on (a lost connection, a malformed command). */
  error(line: string): void;
}

export const silentLog: Log = { info: () => {}, error: () => {} };
