import { languageModelToolsFeature } from './agents/languageModelTools';
import { aiIgnoreCommandFeature } from './commands/aiIgnoreCommand';
import type { ClientFeature } from './clientFeature';
import { copyForCommunityCloudFeature } from './commands/copyForCommunityCloud';
import { gitSafetyNotificationsFeature } from './commands/gitSafetyNotifications';
import { secretsFileCommandsFeature } from './commands/secretsFileCommands';
import { mergedSecretsFeature } from './commands/showMergedSecrets';
import { pythonEnvironmentFeature } from './python/pythonEnvironment';

/** Every client-side feature, one module each (commands/, views/, editor/). */
export const clientFeatures: ClientFeature[] = [mergedSecretsFeature, secretsFileCommandsFeature, gitSafetyNotificationsFeature, pythonEnvironmentFeature, languageModelToolsFeature, aiIgnoreCommandFeature, copyForCommunityCloudFeature];
