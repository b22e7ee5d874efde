import { getOption, hasOption, type DescField, type DescMessage, type DescMethod, type DescService } from '@bufbuild/protobuf';
import type { GenExtension } from '@bufbuild/protobuf/codegenv2';
import { http } from '@qhc/cloud-api';

// The REST gateway's route table, read from the services' `google.api.http` options at start
// (as grpc-gateway generates it): nothing here is written per route.

type HttpRule = typeof http extends GenExtension<infer _E, infer R> ? R : never;

export interface RestRoute {
  /** GET, POST, ...; upper case. */
  verb: string;
  /** The template as the option writes it, e.g. `/api/auth/v1/accounts/{account_id}/management-keys`. */
  template: string;
  pattern: RegExp;
  /** The field paths the template's variables set, in the order of the pattern's groups; `multi`: the `**` form (slashes kept). */
  variables: Array<{ path: string; multi: boolean }>;
  /** `*`: the body is the request message; a field name: the body is that field; empty: no body. */
  body: string;
  service: DescService;
  method: DescMethod;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A variable's pattern (`*`, `**` or literals, joined by `/`) as a regular expression. */
function variableSource(pattern: string): string {
  return pattern
    .split('/')
    .map((part) => (part === '**' ? '.+' : part === '*' ? '[^/]+' : escape(part)))
    .join('/');
}

/** `/v1/{a.b}/x/{name=projects/*}` → a regular expression and the field paths of its groups. */
export function compileTemplate(template: string): Pick<RestRoute, 'pattern' | 'variables'> {
  const variables: RestRoute['variables'] = [];
  const source = template.replace(/\{([A-Za-z_][A-Za-z0-9_.]*)(?:=([^}]*))?\}|[^{]+/g, (whole, path: string | undefined, pattern: string | undefined) => {
    if (path === undefined) return escape(whole);
    variables.push({ path, multi: (pattern ?? '*') !== '*' });
    return `(${variableSource(pattern ?? '*')})`;
  });
  return { pattern: new RegExp(`^${source}$`), variables };
}

/** The field a dotted path of proto names leads to, or an error naming the method (a proto mistake, found at start). */
export function fieldAt(message: DescMessage, path: string, where: string): DescField {
  let desc: DescMessage | undefined = message;
  let field: DescField | undefined;
  for (const name of path.split('.')) {
    field = desc?.fields.find((f) => f.name === name);
    if (!field) throw new Error(`${where}: ${message.typeName} has no field ${path}`);
    desc = field.fieldKind === 'message' ? field.message : undefined;
  }
  return field!;
}

function routeOf(service: DescService, method: DescMethod, rule: HttpRule): RestRoute | undefined {
  const { pattern } = rule;
  if (pattern.case === undefined) return undefined;
  const [verb, template] = pattern.case === 'custom' ? [pattern.value.kind, pattern.value.path] : [pattern.case, pattern.value];
  const compiled = compileTemplate(template);
  const where = `${service.typeName}.${method.name}`;
  for (const variable of compiled.variables) fieldAt(method.input, variable.path, where);
  if (rule.body && rule.body !== '*') fieldAt(method.input, rule.body, where);
  return { verb: verb.toUpperCase(), template, ...compiled, body: rule.body, service, method };
}

/** Every binding (additional ones too) of every unary method of the services. */
export function restRoutes(services: readonly DescService[]): RestRoute[] {
  const routes: RestRoute[] = [];
  for (const service of services)
    for (const method of service.methods) {
      if (method.methodKind !== 'unary' || !hasOption(method, http)) continue;
      const rule = getOption(method, http);
      for (const binding of [rule, ...rule.additionalBindings]) {
        const route = routeOf(service, method, binding);
        if (route) routes.push(route);
      }
    }
  return routes;
}

/** Of the routes matching a path, the verb's; a literal segment wins over a variable (`clusters/suggest-name` over `clusters/{cluster_id}`). */
export function routeFor(matching: readonly RestRoute[], verb: string): RestRoute | undefined {
  return matching.filter((r) => r.verb === verb).toSorted((a, b) => a.variables.length - b.variables.length)[0];
}
