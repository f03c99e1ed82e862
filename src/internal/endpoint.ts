// Where requests go: a region's endpoint from the spec's servers, or an explicit endpoint, HTTPS unless loopback.
import { defaultRegion, endpointTemplate, regions, type Region } from '../../generated/endpoints.js';
import { VodConfigError } from '../errors.js';

export { defaultRegion, regions, type Region };

const isLoopback = (hostname: string): boolean =>
  hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);

/** The base URL for `endpoint` (checked) or for `region` (one of the spec's regions, default cn-north-4). */
export function resolveEndpoint(options: { region?: string; endpoint?: string }): { baseUrl: string; region?: Region } {
  if (options.endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(options.endpoint);
    } catch {
      throw new VodConfigError(`endpoint: "${options.endpoint}" is not an absolute URL`);
    }
    if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
      throw new VodConfigError(
        `endpoint: plain http:// is refused for ${url.hostname}: credentials and signatures would travel in clear text; use https:// (http:// is allowed for loopback hosts only)`,
      );
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new VodConfigError(`endpoint: protocol ${url.protocol} is not supported; use https://`);
    }
    if (url.search || url.hash || url.username || url.password) {
      throw new VodConfigError('endpoint: must not carry a query, fragment or user info');
    }
    // The operations' paths start with their API version (/v1.0/{project_id}/…, /v1.1/…, /v1/…, /v2/…): an endpoint
    // that ends with one would double it and every call would answer 404.
    const version = url.pathname.match(/\/(v\d+(?:\.\d+)?)\/?$/);
    if (version) {
      throw new VodConfigError(
        `endpoint: "${options.endpoint}" ends with /${version[1]}; give the base URL only (${url.origin}${url.pathname.slice(0, version.index) || ''}): the client adds each operation's /v1.0/{project_id}/… itself`,
      );
    }
    return { baseUrl: url.href.replace(/\/+$/, '') };
  }
  const region = options.region ?? defaultRegion;
  if (!(regions as readonly string[]).includes(region)) {
    throw new VodConfigError(`region: "${region}" is not one of ${regions.join(', ')}; pass endpoint for another one`);
  }
  return { baseUrl: endpointTemplate.replace('{region}', region), region: region as Region };
}
