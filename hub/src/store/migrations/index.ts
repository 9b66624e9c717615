import type { Migration } from './migration.js';
import { migration as m0001 } from './0001-homes-devices-users-events.js';
import { migration as m0002 } from './0002-checkins-absences.js';
import { migration as m0003 } from './0003-rules.js';
import { migration as m0004 } from './0004-zigbee2mqtt-names.js';
import { migration as m0005 } from './0005-alert-outcomes.js';
import { migration as m0006 } from './0006-consent-networks-outbox-audit.js';
import { migration as m0007 } from './0007-mosquitto-password-hashes.js';
import { migration as m0008 } from './0008-registry-version.js';
import { migration as m0009 } from './0009-audit-hash-chain.js';
import { migration as m0010 } from './0010-applied-migrations.js';
import { migration as m0011 } from './0011-outbox-by-alert.js';
import { migration as m0012 } from './0012-alert-causes.js';
import { migration as m0013 } from './0013-resident-name-reading.js';
import { migration as m0014 } from './0014-alexa-echos.js';
import { migration as m0015 } from './0015-user-phones.js';
import { migration as m0016 } from './0016-home-presence.js';
import { migration as m0017 } from './0017-learned-baselines.js';
import { migration as m0018 } from './0018-incidents.js';

export { checksumOf, type Migration } from './migration.js';
export { REGISTRY_VERSION_KEY } from './registry-version.js';

/**
 * Schema migrations in the order they run; append a new file and a line here, never edit one
 * that has shipped (`migrations.test.ts` holds every shipped one to its checksum). Times are
 * epoch milliseconds (UTC); JSON columns hold validated shapes only.
 */
export const MIGRATIONS: readonly Migration[] = [
  m0001,
  m0002,
  m0003,
  m0004,
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  m0010,
  m0011,
  m0012,
  m0013,
  m0014,
  m0015,
  m0016,
  m0017,
  m0018,
];
