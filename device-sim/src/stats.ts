import type { EventType } from '@mimamori/contract';

/** Live counters of a running simulation (the CLI prints them at the end; tests read them). */
export interface SimulationStats {
  devicesConnected: number;
  published: number;
  publishedByType: Partial<Record<EventType, number>>;
  promptsReceived: number;
  promptsAnswered: number;
}

export function createStats(): SimulationStats {
  return { devicesConnected: 0, published: 0, publishedByType: {}, promptsReceived: 0, promptsAnswered: 0 };
}

export function countPublished(stats: SimulationStats, type: EventType): void {
  stats.published++;
  stats.publishedByType[type] = (stats.publishedByType[type] ?? 0) + 1;
}
