import { agentToolsFeature } from './agentToolsFeature';
import { aiIgnoreFeature } from './aiIgnoreFeature';
import { codeActionsFeature } from './codeActionsFeature';
import { communityCloudExportFeature } from './communityCloudExportFeature';
import { completionFeature } from './completionFeature';
import { definitionFeature } from './definitionFeature';
import { documentSymbolsFeature } from './documentSymbolsFeature';
import type { Feature } from './feature';
import { formattingFeature } from './formattingFeature';
import { gitSafetyFeature } from './gitSafetyFeature';
import { hoverFeature } from './hoverFeature';
import { mergedSecretsDetailFeature } from './mergedSecretsDetailFeature';
import { mergedSecretsFeature } from './mergedSecretsFeature';
import { pythonDiagnosticsFeature } from './pythonDiagnosticsFeature';
import { referencesFeature } from './referencesFeature';
import { revealFeature } from './revealFeature';
import { secretsFileDiagnosticsFeature } from './secretsFileDiagnosticsFeature';

/** Every feature the server offers, one file each. */
export const features: Feature[] = [
  completionFeature, mergedSecretsFeature, mergedSecretsDetailFeature, secretsFileDiagnosticsFeature, gitSafetyFeature,
  hoverFeature,
  definitionFeature,
  referencesFeature,
  documentSymbolsFeature,
  pythonDiagnosticsFeature,
  codeActionsFeature,
  revealFeature,
  formattingFeature,
  agentToolsFeature,
  aiIgnoreFeature,
  communityCloudExportFeature,
];
