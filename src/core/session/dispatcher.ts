import { Agent, buildConnector, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import type { Logger } from '../ports';
import type { ConnectionProbe } from '../send/connectionProbe';
import type { SessionDefaults } from './defaults';

/** Proxy variables as the environment gives them (HTTP_PROXY, HTTPS_PROXY, NO_PROXY, either case). */
export type ProxyEnvironment = Readonly<Record<string, string | undefined>>;

const defaultConnectTimeoutMs = 10_000;

function proxyFromEnvironment(env: ProxyEnvironment) {
  const httpProxy = env.HTTP_PROXY ?? env.http_proxy;
  const httpsProxy = env.HTTPS_PROXY ?? env.https_proxy;
  if (!httpProxy && !httpsProxy) return undefined;
  return { httpProxy, httpsProxy, noProxy: env.NO_PROXY ?? env.no_proxy ?? '' };
}

/**
 * The session's one keep-alive pool: an undici Agent whose connector applies per-host TLS options and
 * times new connections; behind an EnvHttpProxyAgent when a proxy is set (explicitly, else from the environment).
 */
export function createSessionDispatcher(defaults: SessionDefaults, probe: ConnectionProbe, logger: Logger, env: ProxyEnvironment): Dispatcher {
  const connectTimeout = defaults.connectTimeoutMs ?? defaultConnectTimeoutMs;
  const tls = defaults.tls ?? {};
  for (const [host, options] of Object.entries(tls)) {
    if (options.rejectUnauthorized === false) logger.warn(`TLS certificate verification is OFF for ${host}: anyone on the path can read and change this traffic.`);
  }
  const plain = buildConnector({ timeout: connectTimeout });
  const byHost = new Map<string, buildConnector.connector>();
  const connectorFor = (hostname: string, port: string): buildConnector.connector => {
    const key = tls[`${hostname}:${port}`] ? `${hostname}:${port}` : hostname;
    const options = tls[key];
    if (!options) return plain;
    let connector = byHost.get(key);
    if (!connector) {
      connector = buildConnector({ timeout: connectTimeout, ...options });
      byHost.set(key, connector);
    }
    return connector;
  };
  const connect = probe.timeConnector((options, callback) => connectorFor(options.hostname, options.port)(options, callback));

  const proxy = defaults.proxy ? { httpProxy: defaults.proxy, httpsProxy: defaults.proxy, noProxy: defaults.noProxy ?? '' } : proxyFromEnvironment(env);
  if (!proxy) return new Agent({ connect });
  if (Object.keys(tls).length) logger.warn('Per-host TLS options do not apply to requests that go through the proxy.');
  // proxyTunnel:false sends http:// requests to the proxy in absolute form, as curl and requests do
  // (undici would otherwise CONNECT-tunnel them too); https:// still goes through a CONNECT tunnel.
  return new EnvHttpProxyAgent({ ...proxy, connect, proxyTunnel: false });
}
