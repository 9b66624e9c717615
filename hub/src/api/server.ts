import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { DeviceBroker } from '../broker/index.js';
import type { Component } from '../lifecycle/index.js';
import { buildApi, type ApiDeps } from './app.js';

/**
 * The API listening on its port, as a component of the hub: built when it starts (the routes
 * read services that exist by then), closed when it stops. MQTT over WebSocket is handed to the
 * broker on `/mqtt`; any other upgrade is refused.
 */
export function apiServer(
  deps: ApiDeps,
  listen: { host: string; port: number },
  broker: Pick<DeviceBroker, 'handleUpgrade'>,
): Component & { readonly port: number } {
  let api: FastifyInstance | undefined;
  // Kept once listening: every notification's link asks for it (the hub's address when no public
  // URL is configured), and asking the socket each time was 3 % of closing 10,000 check-ins.
  let port = 0;
  return {
    name: 'api',
    get port() {
      return port;
    },
    async start() {
      api = await buildApi(deps);
      api.server.on('upgrade', (request, socket, head) => {
        if (broker.handleUpgrade && new URL(request.url ?? '/', 'http://hub').pathname === '/mqtt') {
          broker.handleUpgrade(request, socket, head);
        } else {
          socket.destroy();
        }
      });
      await api.listen(listen);
      port = (api.server.address() as AddressInfo).port;
    },
    async stop() {
      await api?.close();
      api = undefined;
      port = 0;
    },
  };
}
