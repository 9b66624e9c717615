import type { Scenario } from './scenario.js';

/** Simulated seconds after start at which the first home's resident presses the button. */
export const SOS_AFTER_MS = 10_000;

export const sos: Scenario = {
  description: "daily routines, and the first home's resident presses the SOS button 10 simulated seconds after start",
  start({ homes, after, log }) {
    const home = homes[0];
    if (!home) return;
    after(SOS_AFTER_MS, () => {
      log.info(`scenario sos: ${home.homeId} (${home.residentName}) presses the SOS button`);
      home.publish('sos', { type: 'sos', via: 'button', residentId: home.residentId });
    });
  },
};
