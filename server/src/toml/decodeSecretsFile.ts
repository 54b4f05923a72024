// decodeSecretsFile lives with the parser (it shares its range helpers); this path is kept for importers.
export { decodeSecretsFile } from './parseSecretsToml';
