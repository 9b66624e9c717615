/** Where the simulator reports notable things, one compact line each. */
export interface Log {
  /** Progress and scenario actions (connected N devices, SOS pressed, prompt answered). */
  info(line: string): void;
  /** Something went wrong but the simulation goes on (a lost connection, a malformed command). */
  error(line: string): void;
}

export const silentLog: Log = { info: () => {}, error: () => {} };
