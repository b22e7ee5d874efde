import * as z from 'zod';

// The URLs of a region's settings end up in image references, helm/OCI pulls and proxy
// variables of the installed components. Each is restricted to what that use can take, so
// `$(…)`, backticks, quotes, spaces or a query string are refused where they are written,
// not found later as an image that does not pull.

/** A DNS name, an IPv4 address or a bracketed IPv6 address, with an optional port. */
const HOST = String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?`;

/** A path component of an image reference (distribution/reference: lower case, separators . _ __ -). */
const IMAGE_COMPONENT = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;

/** Unreserved URL characters only (RFC 3986), for chart repository paths. */
const PATH_SEGMENT = String.raw`[A-Za-z0-9._~-]+`;

/** Percent-encoded or unreserved: proxy credentials with other characters must be percent-encoded. */
const USERINFO = String.raw`[A-Za-z0-9._~%+-]+(?::[A-Za-z0-9._~%+-]*)?@`;

// Trailing slashes are allowed: they are normalised to one where the URL is used.
const REGISTRY_URL = new RegExp(String.raw`^https?://${HOST}(?:/${IMAGE_COMPONENT})*/*$`);
const CHART_REPOSITORY_URL = new RegExp(String.raw`^(?:oci|https?)://${HOST}(?:/${PATH_SEGMENT})*/*$`);
const PROXY_URL = new RegExp(String.raw`^https?://(?:${USERINFO})?${HOST}/?$`);

const portInRange = (url: string) => {
  const port = /^[a-z]+:\/\/(?:[^@/]*@)?(?:\[[^\]]*\]|[^:/]*):(\d+)/.exec(url)?.[1];
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
};

function restrictedUrl(pattern: RegExp, message: string) {
  // abort: one issue per field, the first that applies.
  return z
    .string()
    .regex(pattern, { message, abort: true })
    .refine(portInRange, { message: 'the port must be 1 to 65535', abort: true })
    .refine((url) => URL.canParse(url), message);
}

/** Where images are pulled from: https:// (or http:// for a plain mirror) host[:port] and image path. */
export const registryUrl = restrictedUrl(
  REGISTRY_URL,
  'must be an https:// registry URL such as "https://registry.example.com/qdrant/": a host, an optional port and a lower-case image path (letters, digits, ".", "_", "-"), nothing else',
);

/** Where charts are pulled from: an oci:// or https:// repository, with no query, credentials or special characters. */
export const chartRepositoryUrl = restrictedUrl(
  CHART_REPOSITORY_URL,
  'must be an oci:// or https:// chart repository URL such as "oci://registry.example.com/charts": a host, an optional port and a path of letters, digits, ".", "_", "~", "-"',
);

/** A forward proxy: http(s)://[user[:password]@]host[:port], credentials percent-encoded. */
export const proxyUrl = restrictedUrl(
  PROXY_URL,
  'must be an http:// or https:// URL such as "http://proxy.internal:3128" (host and port only; percent-encode special characters of credentials)',
);
