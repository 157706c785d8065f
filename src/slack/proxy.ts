import { type Dispatcher, EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';

/**
 * A corporate proxy, as the usual variables give it: HTTPS_PROXY for https:// (and wss://) hosts,
 * HTTP_PROXY for http:// ones, NO_PROXY the hosts reached directly. The lower-case forms win, as in
 * most tools.
 */
export interface ProxySettings {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
}

const PROXY_VARIABLES = [
  ['https_proxy', 'HTTPS_PROXY'],
  ['http_proxy', 'HTTP_PROXY'],
] as const;

function valueOf(env: NodeJS.ProcessEnv, lower: string, upper: string): { name: string; value: string } {
  const lowerValue = env[lower]?.trim();
  if (lowerValue) return { name: lower, value: lowerValue };
  return { name: upper, value: env[upper]?.trim() ?? '' };
}

/** Why a proxy address cannot be used, or undefined when it can. */
function proxyUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `has the scheme ${url.protocol.replace(/:$/, '')}, not http or https`;
  if (!url.hostname) return 'names no host';
  return undefined;
}

/** The proxy settings of the environment (undefined when no proxy is set), with what is wrong in them. */
export function readProxySettings(env: NodeJS.ProcessEnv): { settings: ProxySettings | undefined; problems: string[] } {
  const problems: string[] = [];
  const [https, http] = PROXY_VARIABLES.map(([lower, upper]) => valueOf(env, lower, upper)) as [{ name: string; value: string }, { name: string; value: string }];
  for (const { name, value } of [https, http]) {
    const why = value ? proxyUrlProblem(value) : undefined;
    // The address may hold a password: the message names the variable, never its value.
    if (why) problems.push(`${name} ${why}: write the proxy's address as a URL such as http://proxy.example.com:3128`);
  }
  if (problems.length > 0 || (!https.value && !http.value)) return { settings: undefined, problems };
  const noProxy = valueOf(env, 'no_proxy', 'NO_PROXY').value;
  // As curl and most tools do: HTTPS_PROXY alone serves https hosts only, HTTP_PROXY alone both.
  return { settings: { httpProxy: http.value, httpsProxy: https.value || http.value, noProxy }, problems };
}

/** The proxy's address for a log or the doctor, without the credentials it may hold. */
export function describeProxy(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'an address';
  }
}

export interface Network {
  /** For the Web API client, Bolt's `respond` and file uploads. */
  fetch: typeof globalThis.fetch;
  /** For the Socket Mode WebSocket. */
  dispatcher: Dispatcher;
}

const networks = new Map<string, Network>();

/**
 * How outbound HTTP leaves this machine under these settings: undefined means directly (Node's own
 * fetch). One agent per distinct setting, shared by every client, so connections to the proxy are
 * reused.
 */
export function outboundNetwork(proxy: ProxySettings | undefined): Network | undefined {
  if (!proxy) return undefined;
  const key = JSON.stringify(proxy);
  let network = networks.get(key);
  if (!network) {
    // Given explicitly (never read from the environment again), so the configuration alone decides.
    const dispatcher = new EnvHttpProxyAgent({ httpProxy: proxy.httpProxy, httpsProxy: proxy.httpsProxy, noProxy: proxy.noProxy });
    const proxiedFetch = ((input: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) =>
      undiciFetch(input, { ...init, dispatcher })) as unknown as typeof globalThis.fetch;
    network = { fetch: proxiedFetch, dispatcher };
    networks.set(key, network);
  }
  return network;
}

/** The fetch to use for a plain HTTP call to Slack (an upload URL, a response URL) under this configuration. */
export function outboundFetch(proxy: ProxySettings | undefined): typeof globalThis.fetch {
  return outboundNetwork(proxy)?.fetch ?? globalThis.fetch;
}
