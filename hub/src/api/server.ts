import type { Server } from 'node:http';
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
  return {
    name: 'api',
    get port() {
      return ((api?.server as Server | undefined)?.address() as AddressInfo | null)?.port ?? 0;
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
    },
    async stop() {
      await api?.close();
      api = undefined;
    },
  };
}
