import cron, { type ScheduledTask } from 'node-cron';
import type { Config } from '../config/index.js';
import type { BaselineJob } from '../engine/index.js';
import type { Component } from '../lifecycle/index.js';
import type { EventRetention } from '../store/index.js';

/**
 * The hub's system jobs, the only work node-cron runs (per-resident deadlines live in the
 * deadline scheduler): once a night, after the 04:00 day boundary, every home's baseline is
 * learned again and raw events past the retention period are deleted. At start, baselines that
 * are missing or a day old are learned at once.
 */
export function systemJobs(
  settings: Config['rules'],
  jobs: { baselines: BaselineJob; retention: EventRetention },
): Component {
  let task: ScheduledTask | undefined;
  return {
    name: 'system jobs',
    start() {
      if (jobs.baselines.stale()) jobs.baselines.run();
      task = cron.schedule(
        settings.baselineCron,
        () => {
          jobs.baselines.run();
          jobs.retention.run();
        },
        { timezone: settings.baselineTimezone, noOverlap: true },
      );
    },
    async stop() {
      await task?.destroy();
      task = undefined;
    },
  };
}
