import { completionFeature } from './completionFeature';
import type { Feature } from './feature';
import { mergedSecretsDetailFeature } from './mergedSecretsDetailFeature';
import { mergedSecretsFeature } from './mergedSecretsFeature';

/** Every feature the server offers, one file each. */
export const features: Feature[] = [completionFeature, mergedSecretsFeature, mergedSecretsDetailFeature];
