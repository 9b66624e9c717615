import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Lifecycle, type Component } from './lifecycle.js';

const silent = pino({ level: 'silent' });

function recorder() {
  const log: string[] = [];
  const component = (name: string, failStart = false): Component => ({
    name,
    start() {
      if (failStart) throw new Error(`${name} cannot start`);
      log.push(`start ${name}`);
    },
    async stop() {
      log.push(`stop ${name}`);
    },
  });
  return { log, component };
}

describe('Lifecycle', () => {
  it('starts components in the stated order and stops them in reverse', async () => {
    const { log, component } = recorder();
    const lifecycle = new Lifecycle([component('store'), component('engine'), component('api')], silent);
    await lifecycle.start();
    await lifecycle.stop();
    expect(log).toEqual(['start store', 'start engine', 'start api', 'stop api', 'stop engine', 'stop store']);
  });

  it('stops what had started when one fails to start, and passes the error on', async () => {
    const { log, component } = recorder();
    const lifecycle = new Lifecycle([component('store'), component('broker', true), component('api')], silent);
    await expect(lifecycle.start()).rejects.toThrow('broker cannot start');
    expect(log).toEqual(['start store', 'stop store']);
  });

  it('starts once and stops once however often asked, and goes on stopping past a failure', async () => {
    const { log, component } = recorder();
    const failing: Component = {
      name: 'forwarder',
      stop: () => {
        throw new Error('stuck');
      },
    };
    const lifecycle = new Lifecycle([component('store'), failing, component('api')], silent);
    await Promise.all([lifecycle.start(), lifecycle.start()]);
    await lifecycle.stop();
    await lifecycle.stop();
    expect(log).toEqual(['start store', 'start api', 'stop api', 'stop store']);
  });
});
