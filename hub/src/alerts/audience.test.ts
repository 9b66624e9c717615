import { describe, expect, it } from 'vitest';
import { audienceOf } from './audience.js';

const webhooks = [
  { url: 'https://bridge.example/staff', secret: 's'.repeat(16), tiersOnly: false },
  { url: 'https://bridge.example/line-minami', secret: 's'.repeat(16), name: 'line-minami', tiersOnly: true },
  { url: 'https://bridge.example/unused', secret: 's'.repeat(16), name: 'unused', tiersOnly: true },
];
const network = {
  tiers: [
    { name: '近隣', watchers: ['u-vol1', 'u-vol2'], webhooks: ['line-minami'], ackTimeoutMinutes: 15 },
    { name: '社協', watchers: ['u-staff', 'u-vol1'], webhooks: [], ackTimeoutMinutes: 30 },
  ],
};

describe('audienceOf', () => {
  it('tells the watchers and named webhooks of the given tiers, once each, and the staff bridge always', () => {
    expect(audienceOf(network, [0], webhooks)).toEqual({
      userIds: ['u-vol1', 'u-vol2'],
      webhookUrls: ['https://bridge.example/staff', 'https://bridge.example/line-minami'],
    });
    expect(audienceOf(network, [0, 1], webhooks).userIds).toEqual(['u-vol1', 'u-vol2', 'u-staff']);
    expect(audienceOf(network, [1], webhooks)).toEqual({
      userIds: ['u-staff', 'u-vol1'],
      webhookUrls: ['https://bridge.example/staff'],
    });
  });

  it('reaches only the staff bridge for a home without a network', () => {
    expect(audienceOf(undefined, [0], webhooks)).toEqual({
      userIds: [],
      webhookUrls: ['https://bridge.example/staff'],
    });
  });
});
