// The attribute names that `st.secrets.<name>` / `<table>.<name>` resolve to a real attribute
// instead of a secret (docs/streamlit-model.md §4). One list for the Python reader
// (which reads here) and the service's diagnostics and completions (which import from here), so
// `python/` stays independent of `service/`.

/** Attributes of `st.secrets` (Streamlit's `Secrets` object) that attribute access reaches instead of a key. */
export const rootReservedNames: ReadonlySet<string> = new Set([
  'keys',
  'values',
  'items',
  'get',
  'to_dict',
  'has_key',
  'load_if_toml_exists',
  'merge_programmatic_secrets',
  'file_change_listener',
  'set_suppress_print_error_on_exception',
]);

/** Attributes of nested tables (Streamlit's `AttrDict`, a Mapping). */
export const nestedReservedNames: ReadonlySet<string> = new Set(['keys', 'values', 'items', 'get', 'to_dict']);
