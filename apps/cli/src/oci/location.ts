import { CliError, EXIT } from '../exit.ts';

/** A place in a registry: a host (with its port) and a repository path under it. */
export interface RegistryLocation {
  host: string;
  path: string;
}

/**
 * `https://registry.example.com:5000/qdrant/`, `oci://registry.example.com/charts` or
 * `registry.example.com/qdrant` → host and path. Schemes only say how the prefix was written:
 * whether to speak plain HTTP is --plain-http's decision (as with helm and skopeo).
 */
export function parseLocation(input: string, flag: string): RegistryLocation {
  const bare = input
    .trim()
    .replace(/^(https?|oci|docker):\/\//, '')
    .replace(/\/+$/, '');
  const [host, ...rest] = bare.split('/');
  if (!host || !/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:]+\](:\d{1,5})?$/.test(host)) {
    throw new CliError(`${flag}: ${JSON.stringify(input)} is not a registry such as "registry.example.com:5000/qdrant"`, { code: EXIT.usage });
  }
  const path = rest.join('/');
  if (path && !/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/.test(path)) {
    throw new CliError(`${flag}: the repository path ${JSON.stringify(path)} must be lowercase letters, digits and . _ - separated by /`, { code: EXIT.usage });
  }
  return { host, path };
}

export function repository(location: RegistryLocation, name: string): string {
  return location.path ? `${location.path}/${name}` : name;
}

export function formatLocation(location: RegistryLocation): string {
  return location.path ? `${location.host}/${location.path}` : location.host;
}
