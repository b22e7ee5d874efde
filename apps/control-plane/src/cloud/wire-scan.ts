import { isUtf8 } from 'node:buffer';
import { ScalarType, type DescField, type DescMessage } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';

// A request message's protobuf bytes checked BEFORE they are decoded: a decoder builds an object
// per element (a 4 MiB message of empty entries is a million objects), recurses per nesting
// level, and answers Internal for bytes it cannot read. This walk allocates nothing per element
// and refuses, naming the field: too many elements, too deep, fields the message does not have
// (they would be dropped, and the echo would lose them), wrong wire types and invalid UTF-8.

export interface WireLimits {
  /** Fields, list items and map entries, counted over the whole message. */
  maxElements: number;
  /** Nested messages (google.protobuf.Struct values nest one level per Value and Struct). */
  maxDepth: number;
}

export const DEFAULT_WIRE_LIMITS: WireLimits = { maxElements: 10_000, maxDepth: 32 };

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

/** The wire type a scalar is written with, unpacked. */
function scalarWireType(scalar: ScalarType): number {
  switch (scalar) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return LEN;
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return I64;
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return I32;
    default:
      return VARINT;
  }
}

/** What a field's bytes hold: a nested message, a UTF-8 string, or another scalar of a wire type (`packable`: a list of numbers). */
interface Slot {
  message?: DescMessage;
  /** A map entry: key 1 and value 2 of the map field. */
  entry?: DescField & { fieldKind: 'map' };
  wireType: number;
  utf8: boolean;
  packable: boolean;
  list: boolean;
}

function slotOf(field: DescField): Slot {
  switch (field.fieldKind) {
    case 'message':
      return { message: field.message, wireType: LEN, utf8: false, packable: false, list: false };
    case 'enum':
      return { wireType: VARINT, utf8: false, packable: false, list: false };
    case 'scalar':
      return { wireType: scalarWireType(field.scalar), utf8: field.scalar === ScalarType.STRING, packable: false, list: false };
    case 'map':
      return { entry: field, wireType: LEN, utf8: false, packable: false, list: true };
    case 'list': {
      if (field.listKind === 'message') return { message: field.message, wireType: LEN, utf8: false, packable: false, list: true };
      const wireType = field.listKind === 'enum' ? VARINT : scalarWireType(field.scalar);
      return { wireType, utf8: field.listKind === 'scalar' && field.scalar === ScalarType.STRING, packable: wireType !== LEN, list: true };
    }
  }
}

/** A map entry's key (1) and value (2). */
function entrySlot(map: DescField & { fieldKind: 'map' }, number: number): Slot | undefined {
  if (number === 1) return { wireType: scalarWireType(map.mapKey), utf8: map.mapKey === ScalarType.STRING, packable: false, list: false };
  if (number !== 2) return undefined;
  if (map.mapKind === 'message') return { message: map.message, wireType: LEN, utf8: false, packable: false, list: false };
  if (map.mapKind === 'enum') return { wireType: VARINT, utf8: false, packable: false, list: false };
  return { wireType: scalarWireType(map.scalar), utf8: map.scalar === ScalarType.STRING, packable: false, list: false };
}

interface Frame {
  /** The message being read, or (entry) the map field whose entry it is. */
  message?: DescMessage;
  entry?: DescField & { fieldKind: 'map' };
  end: number;
  path: string;
  /** How many items of each repeated field were read so far (their indexes in the path). */
  counts: Map<number, number>;
}

const invalid = (path: string, message: string) => new ConnectError(`${path || '(the request)'}: ${message}`, Code.InvalidArgument);

class Reader {
  pos = 0;
  readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
  varint(path: string): number {
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= this.bytes.length) throw invalid(path, 'the message ends inside a number (truncated or not protobuf)');
      const byte = this.bytes[this.pos++]!;
      if (shift < 49) value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw invalid(path, 'a number longer than 10 bytes (not protobuf)');
  }
  skip(count: number, path: string): void {
    if (count > this.bytes.length - this.pos) throw invalid(path, 'the message ends inside a field (truncated or not protobuf)');
    this.pos += count;
  }
}

const nameOf = (frame: Frame, number: number): string => {
  if (frame.entry) return number === 1 ? `${frame.path}.key` : `${frame.path}.value`;
  const field = frame.message!.fields.find((f) => f.number === number);
  return `${frame.path ? `${frame.path}.` : ''}${field?.name ?? number}`;
};

function fieldPath(frame: Frame, number: number, slot: Slot): string {
  const name = nameOf(frame, number);
  if (!slot.list) return name;
  const index = frame.counts.get(number) ?? 0;
  frame.counts.set(number, index + 1);
  return `${name}[${index}]`;
}

/** The number of varints in a packed run (one per byte without the continuation bit). */
function packedCount(bytes: Uint8Array, start: number, end: number, wireType: number): number {
  if (wireType === I64) return (end - start) / 8;
  if (wireType === I32) return (end - start) / 4;
  let count = 0;
  for (let i = start; i < end; i++) if ((bytes[i]! & 0x80) === 0) count++;
  return count;
}

interface Walk {
  reader: Reader;
  stack: Frame[];
  elements: number;
  limits: WireLimits;
}

function countElements(walk: Walk, added: number, path: string): void {
  walk.elements += added;
  if (walk.elements > walk.limits.maxElements)
    throw new ConnectError(
      `${path}: the request has more than ${walk.limits.maxElements} fields, list items and map entries; send fewer`,
      Code.ResourceExhausted,
    );
}

/** One field of the innermost frame: checked, then skipped or entered. */
function step(walk: Walk, frame: Frame): void {
  const { reader } = walk;
  const tag = reader.varint(frame.path);
  const number = Math.floor(tag / 8);
  const wireType = tag % 8;
  const slot = frame.entry
    ? entrySlot(frame.entry, number)
    : (() => {
        const field = frame.message!.fields.find((f) => f.number === number);
        return field && slotOf(field);
      })();
  const where = frame.message?.typeName ?? `a ${frame.entry!.name} entry`;
  if (!slot) throw invalid(frame.path, `field number ${number} is not a field of ${where}; qhc refuses what it would drop`);
  const path = fieldPath(frame, number, slot);
  countElements(walk, 1, path);
  const packed = slot.packable && wireType === LEN;
  if (wireType !== slot.wireType && !packed) throw invalid(path, `wire type ${wireType} is not the type of the field (not protobuf, or another message)`);
  if (wireType === VARINT) return void reader.varint(path);
  if (wireType === I64) return reader.skip(8, path);
  if (wireType === I32) return reader.skip(4, path);
  const length = reader.varint(path);
  const start = reader.pos;
  reader.skip(length, path);
  if (packed) return countElements(walk, packedCount(reader.bytes, start, reader.pos, slot.wireType), path);
  if (slot.utf8 && !isUtf8(reader.bytes.subarray(start, reader.pos))) throw invalid(path, 'is not valid UTF-8');
  if (!slot.message && !slot.entry) return;
  if (walk.stack.length >= walk.limits.maxDepth) throw invalid(path, `nests messages more than ${walk.limits.maxDepth} levels deep`);
  reader.pos = start;
  walk.stack.push({ message: slot.message, entry: slot.entry, end: start + length, path, counts: new Map() });
}

/** Throws the refusal (InvalidArgument or ResourceExhausted, naming the field) of bytes that are not a bounded `message`. */
export function scanMessage(message: DescMessage, bytes: Uint8Array, limits: WireLimits = DEFAULT_WIRE_LIMITS, base = ''): void {
  const walk: Walk = { reader: new Reader(bytes), stack: [{ message, end: bytes.length, path: base, counts: new Map() }], elements: 0, limits };
  while (walk.stack.length > 0) {
    const frame = walk.stack.at(-1)!;
    if (walk.reader.pos >= frame.end) {
      walk.stack.pop();
      continue;
    }
    step(walk, frame);
    if (walk.reader.pos > frame.end) throw invalid(frame.path, 'a field runs past the end of its message (not protobuf)');
  }
}
