import { describe, expect, it } from 'vitest';
import { mosquittoPasswordHash } from '../store/index.js';
import { mosquittoFiles } from './mosquitto-config.js';

const hub = { username: 'mimamori-hub', password: 'hub-broker-password' };
const options = {
  hub,
  dir: '/etc/mosquitto/mimamori',
  port: 1883,
  limits: { maxPacketBytes: 65_536, keepaliveLimitSeconds: 1200, topicAliasMaximum: 10 },
};

describe('mosquittoFiles', () => {
  it('writes every device with a broker hash and the hub, %u patterns for devices, a block per gateway and the hub’s', () => {
    const files = mosquittoFiles(
      [
        { deviceId: 'h1-sos', homeId: 'h1', kind: 'sos_button', passwordHash: '$7$101$c2FsdA==$aGFzaA==' },
        { deviceId: 'h1-gw', homeId: 'h1', kind: 'gateway', passwordHash: '$7$101$c2FsdA==$Z3c=' },
        { deviceId: 'h2-old', homeId: 'h2', kind: 'motion', passwordHash: null },
      ],
      options,
    );
    const lines = files.passwd.trimEnd().split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual(['mimamori-hub', 'h1-sos', 'h1-gw']);
    expect(lines[1]).toBe('h1-sos:$7$101$c2FsdA==$aGFzaA==');
    expect(files.skipped).toEqual(['h2-old']);
    expect(files.acl).toContain(
      'pattern write mimamori/v1/+/%u/event\npattern write mimamori/v1/+/%u/status\npattern read mimamori/v1/+/%u/command',
    );
    expect(files.acl).toContain('user h1-gw\ntopic readwrite mimamori/v1/h1/z2m/#');
    expect(files.acl).toContain('user mimamori-hub\ntopic read mimamori/v1/#\ntopic write mimamori/v1/+/+/command');
    expect(files.conf).toContain('password_file /etc/mosquitto/mimamori/passwd');
    expect(files.conf).toContain('max_queued_messages 0');
    expect(files.conf).toContain('max_packet_size 65536\nmax_keepalive 1200\nmax_topic_alias 10');
  });

  it('refuses a device named like the hub’s own account', () => {
    expect(() =>
      mosquittoFiles([{ deviceId: 'mimamori-hub', homeId: 'h1', kind: 'motion', passwordHash: 'x' }], options),
    ).toThrow(/mqtt.external.username/);
  });

  it('hashes as mosquitto_passwd does', () => {
    // Written by Debian's `mosquitto_passwd -c -b pw dev1 secret123` (mosquitto 2.0.11).
    const written =
      '$7$101$ipu50kDw93kXRokF$y2sPBKek6+86mXiy4PuKf8mjUL5/+3uCgsY4hLQGDBbM59UuFwmejTQlMFH8QsAVYhcoFR+BYRiBIgrq+7EtAQ==';
    const salt = Buffer.from(written.split('$')[3] ?? '', 'base64');
    expect(mosquittoPasswordHash('secret123', salt)).toBe(written);
  });
});
