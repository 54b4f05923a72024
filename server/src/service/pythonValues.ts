import type { AccessStyle, GetFallback } from '../python/types';
import type { RaisedError } from '../python/readGuards';
import type { SecretNode } from '../toml/types';
import { pythonTypeName, withArticle } from './secretNodes';

/**
 * What Python does when code reads a key (or calls `.get`) on a value that is not a secrets table:
 * a plain value from the merged secrets (a str, an int, a list, …) or the default a `.get(k, d)`
 * returned for an absent key. Messages are Python's own (docs/streamlit-model.md §4); they name types
 * and keys, never values.
 */
export type PlainType = 'str' | 'int' | 'float' | 'bool' | 'list' | 'dict' | 'NoneType';

/** Public attributes of each type (Python 3.9 to 3.14, the union: an attribute any of them has is no error). */
const attributes: Record<PlainType, ReadonlySet<string>> = {
  str: new Set(
    'capitalize casefold center count encode endswith expandtabs find format format_map index isalnum isalpha isascii isdecimal isdigit isidentifier islower isnumeric isprintable isspace istitle isupper join ljust lower lstrip maketrans partition removeprefix removesuffix replace rfind rindex rjust rpartition rsplit rstrip split splitlines startswith strip swapcase title translate upper zfill'.split(' '),
  ),
  int: new Set('as_integer_ratio bit_count bit_length conjugate denominator from_bytes from_number imag is_integer numerator real to_bytes'.split(' ')),
  float: new Set('as_integer_ratio conjugate from_number fromhex hex imag is_integer real'.split(' ')),
  bool: new Set('as_integer_ratio bit_count bit_length conjugate denominator from_bytes from_number imag is_integer numerator real to_bytes'.split(' ')),
  list: new Set('append clear copy count extend index insert pop remove reverse sort'.split(' ')),
  dict: new Set('clear copy fromkeys get items keys pop popitem setdefault update values'.split(' ')),
  NoneType: new Set(),
};

const plainKinds: ReadonlySet<SecretNode['kind']> = new Set(['string', 'integer', 'float', 'boolean', 'array']);

/** The Python type Streamlit returns for a plain secrets value; undefined for tables and datetimes (not modelled: say less). */
export function plainTypeOf(node: SecretNode): PlainType | undefined {
  return plainKinds.has(node.kind) ? (pythonTypeName(node) as PlainType) : undefined;
}

export function fallbackType(fallback: GetFallback | undefined): PlainType | undefined {
  switch (fallback) {
    case 'none':
      return 'NoneType';
    case 'table':
      return 'dict';
    case 'str':
      return 'str';
    default:
      return undefined;
  }
}

/** Whether `name` is an attribute of values of `type` (dunders are, always: say less). */
export function hasAttribute(type: PlainType, name: string): boolean {
  return attributes[type].has(name) || (name.startsWith('__') && name.endsWith('__'));
}

export type PlainStep =
  /** The step works and gives a value this analysis follows no further. */
  | { kind: 'ok' }
  /** `.get(k, d)` on an (empty) dict: the key is absent, the call returns its own default `d`. */
  | { kind: 'default' }
  | { kind: 'raises'; error: RaisedError; message: string };

/**
 * Reading `key` with `style` from a value of `type`. A `dict` here is the `{}` a `.get` returned for
 * an absent key (its keys are known: none).
 */
export function stepPlain(type: PlainType, key: string, style: AccessStyle): PlainStep {
  const quotedKey = JSON.stringify(key);
  if (style === 'attribute' || (style === 'get' && type !== 'dict')) {
    const name = style === 'get' ? 'get' : key;
    if (hasAttribute(type, name)) return { kind: 'ok' };
    return { kind: 'raises', error: 'AttributeError', message: `AttributeError: '${type}' object has no attribute '${name}'` };
  }
  if (style === 'get') return { kind: 'default' };
  switch (type) {
    case 'dict':
      return { kind: 'raises', error: 'KeyError', message: `KeyError: ${quotedKey}` };
    case 'str':
      return { kind: 'raises', error: 'TypeError', message: 'TypeError: string indices must be integers' };
    case 'list':
      return { kind: 'raises', error: 'TypeError', message: 'TypeError: list indices must be integers or slices, not str' };
    default:
      return { kind: 'raises', error: 'TypeError', message: `TypeError: '${type}' object is not subscriptable` };
  }
}

/** `value[index]` for an integer index, when it raises. */
export function indexError(node: SecretNode, index: number, describe: string): { error: RaisedError; message: string } | undefined {
  switch (node.kind) {
    case 'table':
      // Keys are strings: an int is never one. AttrDict / Secrets re-raise with their own text.
      return { error: 'KeyError', message: `KeyError: st.secrets has no key "${index}" (${describe} is a table: its keys are strings, read them with ["key"])` };
    case 'integer':
    case 'float':
    case 'boolean':
      return { error: 'TypeError', message: `TypeError: '${plainTypeOf(node)}' object is not subscriptable (${describe} is ${withArticle(plainTypeOf(node) ?? 'value')})` };
    case 'string': {
      const length = typeof node.value === 'string' ? [...node.value].length : undefined;
      if (length === undefined || inRange(index, length)) return undefined;
      return { error: 'IndexError', message: `IndexError: string index out of range (${describe} is ${length === 0 ? 'an empty string' : 'a shorter string'})` };
    }
    case 'array': {
      const length = node.items?.length;
      if (length === undefined || inRange(index, length)) return undefined;
      return { error: 'IndexError', message: `IndexError: list index out of range (${describe} has ${length} item${length === 1 ? '' : 's'})` };
    }
    default:
      return undefined;
  }
}

function inRange(index: number, length: number): boolean {
  return index >= -length && index < length;
}
