import type { FastifyRequest } from 'fastify';
import type { MonthlyReport, Role, RuleType, User } from '@mimamori/contract';
import type { AlertFeed, AlertService } from '../alerts/index.js';
import type { LoginThrottleOptions } from '../auth/index.js';
import type { DeviceBroker } from '../broker/index.js';
import type { CheckinService } from '../checkins/index.js';
import type { RuleAdmin } from '../engine/index.js';
import type { Pairing } from '../speakers/alexa/index.js';
import type {
  AbsenceRepository,
  AlexaEchoRepository,
  AlertRepository,
  AuditLog,
  CheckinRepository,
  CheckinScheduleRepository,
  DeviceRepository,
  HomeRepository,
  NetworkRepository,
  OutboxRepository,
  TimeSeriesStore,
  UserRepository,
} from '../store/index.js';
import type { Clock } from '../time/index.js';
import { ApiError } from './errors.js';

/** The services routes use; passed in as plugin options, never decorated onto the app. */
export interface ApiServices {
  homes: HomeRepository;
  devices: DeviceRepository;
  users: UserRepository;
  alerts: AlertRepository;
  schedules: CheckinScheduleRepository;
  checkins: CheckinRepository;
  absences: AbsenceRepository;
  /** Told about schedule and absence changes, so deadlines follow at once. */
  checkinService: Pick<CheckinService, 'scheduleChanged' | 'absenceChanged' | 'nextDueAt'>;
  ruleAdmin: RuleAdmin;
  alertService: Pick<AlertService, 'acknowledge' | 'release' | 'resolve'>;
  networks: NetworkRepository;
  /** Each alert's deliveries, shown to staff with the alert. */
  outbox: OutboxRepository;
  /** Alert changes for the live stream. */
  alertFeed: Pick<AlertFeed, 'subscribe'>;
  audit: AuditLog;
  /** Echos paired through the Alexa skill, and the one-time codes that pair them. */
  alexaEchos: AlexaEchoRepository;
  alexaPairing: Pick<Pairing, 'issue'>;
  /** Names of the configured webhooks a network tier may address. */
  webhookNames: readonly string[];
  /** The Web Push public key browsers subscribe with. */
  vapidPublicKey: string;
  ruleTypeOf: (ruleId: string) => RuleType | undefined;
  monthlyReport: (month: string) => MonthlyReport;
  timeSeries: TimeSeriesStore;
  /** Told of registry changes: a device's new secret or deletion cuts it off; a home's topics are taken or let go. */
  broker: Pick<DeviceBroker, 'disconnectDevice' | 'homeAdded' | 'homeRemoved'>;
  clock: Clock;
  /** Where a device connects, for the credentials staff hand an installer: this hub's broker as `host` reaches it. */
  mqttUrlFor: (host: string) => string;
  /** When the oldest stored event happened (epoch ms), the start of what a backtest can replay. */
  historyStart: () => number | undefined;
  health: () => Promise<{ ok: boolean; checks: Record<string, { ok: boolean; detail?: string }> }>;
  metricsText: () => Promise<string>;
  /** Set the `Secure` flag on the session cookie (when the hub is served over HTTPS). */
  secureCookies: boolean;
  /** Failed logins allowed per account and per address before a wait (default: 10 and 50 per 15 minutes). */
  loginLimits?: LoginThrottleOptions;
}

/** Over HTTPS the cookie takes the `__Host-` prefix: browsers then insist it is Secure, for this host only, on path `/`. */
export const sessionCookieName = (secure: boolean): string => (secure ? '__Host-mimamori_session' : 'mimamori_session');
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

const sessionUsers = new WeakMap<FastifyRequest, User>();

export function currentUser(request: FastifyRequest): User {
  const user = sessionUsers.get(request);
  if (!user) throw ApiError.of('login_required', {});
  return user;
}

/** A preHandler that admits only a logged-in user with one of `roles`. */
export function requireRole(services: Pick<ApiServices, 'users' | 'clock' | 'secureCookies'>, roles: readonly Role[]) {
  return async (request: FastifyRequest): Promise<void> => {
    const token = request.cookies[sessionCookieName(services.secureCookies)];
    const user = token ? services.users.sessionUser(token, services.clock.now()) : undefined;
    if (!user) throw ApiError.of('login_required', {});
    if (!roles.includes(user.role)) throw ApiError.of('role_required', { roles: [...roles] });
    sessionUsers.set(request, user);
  };
}

/** Views whose audit rows are waiting for their group's commit. */
const auditsPending = new WeakMap<FastifyRequest, Promise<void>[]>();

/**
 * Records in the audit log who saw or changed what (APPI); called by routes that show personal
 * data or change settings. A change is recorded at once, in the turn that made it. A view is
 * recorded with the other views of its turn in one commit, and its data is not sent before
 * that commit (`auditedBeforeSending`).
 */
export function audit(
  services: Pick<ApiServices, 'audit' | 'clock'>,
  request: FastifyRequest,
  action: string,
  target: { homeId?: string | undefined; subject?: string | undefined; detail?: unknown } = {},
): void {
  const entry = { at: services.clock.now(), actor: currentUser(request).username, action, ...target };
  if (request.method !== 'GET') return services.audit.record(entry);
  const committed = services.audit.recordSoon(entry);
  // Logged here too: a response that bypasses onSend (an event stream) does not wait for it.
  committed.catch((error: unknown) => request.log.error({ err: error, action }, 'audit row not stored'));
  auditsPending.set(request, [...(auditsPending.get(request) ?? []), committed]);
}

/** An onSend hook: a view's response leaves once its audit rows are committed, and as an error if they cannot be. */
export async function auditedBeforeSending(request: FastifyRequest): Promise<void> {
  await Promise.all(auditsPending.get(request) ?? []);
}
