/**
 * The note on a key that only the global secrets file defines (hovers, the Secrets view): a deployed
 * app (Streamlit Community Cloud, a container) has no `~/.streamlit/secrets.toml`.
 */
export const localOnlyNote = 'local only: a deployed app will not have this unless you add it to the app\'s Secrets';
