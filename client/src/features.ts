import type { ClientFeature } from './clientFeature';
import { mergedSecretsFeature } from './commands/showMergedSecrets';

/** Every client-side feature, one module each (commands/, views/, editor/). */
export const clientFeatures: ClientFeature[] = [mergedSecretsFeature];
