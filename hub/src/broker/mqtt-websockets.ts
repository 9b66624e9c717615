import { WebSocketServer } from 'ws';

/** Where MQTT over WebSocket is accepted: no server of its own (the API's takes the upgrade), subprotocol `mqtt`. */
export function mqttWebSocketServer(maxPacketBytes: number): WebSocketServer {
  return new WebSocketServer({
    noServer: true,
    maxPayload: maxPacketBytes,
    handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : false),
  });
}
