import { describe, expect, it } from 'vitest';
import type { DevicePrincipal } from '../store/index.js';
import { clientIdMatches, mayPublish, maySubscribe } from './acl.js';

const sensor: DevicePrincipal = { deviceId: 'dev-a', homeId: 'home-1', kind: 'motion' };
const gateway: DevicePrincipal = { deviceId: 'gw-1', homeId: 'home-1', kind: 'gateway' };

describe('topic ACL', () => {
  it.each([
    [sensor, 'mimamori/v1/home-1/dev-a/event', true],
    [sensor, 'mimamori/v1/home-1/dev-a/status', true],
    [sensor, 'mimamori/v1/home-1/dev-a/command', false],
    [sensor, 'mimamori/v1/home-2/dev-a/event', false],
    [sensor, 'mimamori/v1/home-1/dev-b/event', false],
    [sensor, 'mimamori/v1/home-1/z2m/kitchen', false],
    [sensor, '$SYS/broker/uptime', false],
    [sensor, 'mimamori/v1/home-1/dev-a/event/extra', false],
    [sensor, 'other/topic', false],
    [gateway, 'mimamori/v1/home-1/z2m/kitchen', true],
    [gateway, 'mimamori/v1/home-2/z2m/kitchen', false],
    [gateway, 'mimamori/v1/home-1/gw-1/status', true],
    [gateway, 'mimamori/v1/home-1/z2m/bridge/state', true],
    [gateway, 'mimamori/v1/home-1/z2m/kitchen/availability', true],
    [gateway, 'mimamori/v1/home-1/z2m', false],
    [gateway, 'mimamori/v1/home-1/z2m/', false],
    [gateway, 'mimamori/v1/home-1/z2m//x', false],
    [gateway, 'mimamori/v1/home-2/z2m/bridge/state', false],
    [gateway, 'mimamori/v1/home-1/gw-2/event', false],
    [sensor, 'mimamori/v1/home-1/z2m/bridge/state', false],
  ])('%o publishing %s → %s', (device, topic, allowed) => {
    expect(mayPublish(device, topic)).toBe(allowed);
  });

  it.each([
    ['mimamori/v1/home-1/dev-a/command', true],
    ['mimamori/v1/home-1/dev-a/#', false],
    ['mimamori/v1/home-1/+/command', false],
    ['mimamori/v1/home-1/dev-b/command', false],
    ['#', false],
    ['$SYS/#', false],
  ])('subscribing %s → %s', (filter, allowed) => {
    expect(maySubscribe(sensor, filter)).toBe(allowed);
  });

  it('binds client ids to the device', () => {
    expect(clientIdMatches(sensor, 'dev-a')).toBe(true);
    expect(clientIdMatches(sensor, 'dev-a:tool')).toBe(true);
    expect(clientIdMatches(sensor, 'dev-ab')).toBe(false);
    expect(clientIdMatches(sensor, 'mosq-123')).toBe(false);
  });
});
