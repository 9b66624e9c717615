import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Component } from '../lifecycle/index.js';
import type { Clock } from '../time/index.js';
import { InfluxForwarder } from './influx-forwarder.js';
import { InfluxTimeSeries } from './influx-time-series.js';
import { SqliteTimeSeries } from './sqlite-time-series.js';
import type { Stores } from './stores.js';
import type { TimeSeriesStore } from './time-series.js';

export interface TimeSeriesBackend {
  store: TimeSeriesStore;
  /** The journal cursors of every reader (the engine's, and the forwarder's with InfluxDB): retention waits for the slowest. */
  readers: Stores['engineCursor'][];
  /** Told after each group commit of the journal: the forwarder wakes to send the new events. */
  onJournalCommitted(): void;
  /** Journaled events not yet in InfluxDB; undefined when the journal is the time series. */
  forwardLag(): number | undefined;
  component: Component;
}

/**
 * The time series the API reads and history is kept in: the journal itself (embedded default),
 * or InfluxDB fed from the journal by a forwarder, so the alert path never waits on InfluxDB.
 */
export function composeTimeSeries(
  settings: Config['timeseries'],
  deps: { stores: Stores; clock: Clock; logger: Logger },
): TimeSeriesBackend {
  const { stores, clock, logger } = deps;
  if (settings.backend !== 'influx' || !settings.influxUrl) {
    return {
      store: new SqliteTimeSeries(stores.db),
      readers: [stores.engineCursor],
      onJournalCommitted: () => undefined,
      forwardLag: () => undefined,
      component: { name: 'time series' },
    };
  }
  const store = new InfluxTimeSeries(settings.influxUrl, settings.retentionDays);
  const forwarder = new InfluxForwarder({
    journal: stores.journal,
    cursor: stores.influxCursor,
    sink: store,
    clock,
    logger: logger.child({ module: 'influx' }),
  });
  return {
    store,
    readers: [stores.engineCursor, stores.influxCursor],
    onJournalCommitted: () => forwarder.notify(),
    forwardLag: () => forwarder.lag(),
    component: {
      name: 'time series',
      async start() {
        // InfluxDB may be down at start-up; the forwarder catches up when it returns.
        await store
          .start()
          .catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'time-series store not ready'));
        forwarder.start();
      },
      async stop() {
        await forwarder.stop();
        await store.stop();
      },
    },
  };
}
