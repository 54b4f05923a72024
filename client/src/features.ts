import type { ClientFeature } from './clientFeature';

/** Every client-side feature, one module each (commands/, views/, editor/). */
export const clientFeatures: ClientFeature[] = [];
