import type { DescField, DescMessage, DescMethod } from '@bufbuild/protobuf';

// What an rpc changed: the kind of object and its id, from the descriptors. The response's
// object when it answers one (a Create's new id), else the request's object or `<type>_id`
// field; of several, the one the method is named after (DeleteBackupSchedule: backup_schedule).

export interface ObjectRef {
  type: string;
  id: string;
  /** The message field holding the object (of the response or the request), for its summary. */
  field?: DescField;
}

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

type Fields = Record<string, unknown>;

/** Message fields whose message has an `id`: objects. */
const objectFields = (desc: DescMessage) => desc.fields.filter((f) => f.fieldKind === 'message' && f.message.fields.some((g) => g.name === 'id'));

/** `<type>_id` fields but the account's (every request names it). */
const idFields = (desc: DescMessage) => desc.fields.filter((f) => f.fieldKind === 'scalar' && f.name.endsWith('_id') && f.name !== 'account_id');

/** Of `candidates` (by type name), the one the method's name says most of; else the first. */
function named<T>(method: DescMethod, candidates: T[], typeOf: (c: T) => string): T | undefined {
  const methodName = snake(method.name);
  const matching = candidates.filter((c) => methodName.includes(typeOf(c)));
  return matching.toSorted((a, b) => typeOf(b).length - typeOf(a).length)[0] ?? candidates[0];
}

function fromObject(method: DescMethod, desc: DescMessage, message: Fields): ObjectRef | undefined {
  const present = objectFields(desc).filter((f) => message[f.localName] !== undefined);
  const field = named(method, present, (f) => f.name);
  if (!field) return undefined;
  const id = (message[field.localName] as Fields).id;
  return { type: field.name, id: typeof id === 'string' ? id : '', field };
}

function fromIds(method: DescMethod, desc: DescMessage, message: Fields): ObjectRef | undefined {
  const present = idFields(desc).filter((f) => typeof message[f.localName] === 'string' && message[f.localName] !== '');
  const field = named(method, present, (f) => f.name.slice(0, -'_id'.length));
  return field ? { type: field.name.slice(0, -'_id'.length), id: message[field.localName] as string } : undefined;
}

/** The kind of object a method is about when its messages do not say: its name without the verb. */
const typeOfName = (method: DescMethod) => snake(method.name).split('_').slice(1).join('_') || snake(method.name);

/** The object `method` changed, from its request and (when it succeeded) its response. */
export function objectOf(method: DescMethod, request: unknown, response: unknown): ObjectRef {
  const req = (request ?? {}) as Fields;
  const res = (response ?? {}) as Fields;
  return (
    fromObject(method, method.output, res) ??
    fromObject(method, method.input, req) ??
    fromIds(method, method.input, req) ?? { type: typeOfName(method), id: typeof req.accountId === 'string' ? req.accountId : '' }
  );
}
