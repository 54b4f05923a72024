import * as path from 'node:path';
import { defaultSettings, type StreamlitSecretsSettings } from '../../../common/settings';
import type { MergedSecrets } from '../service/mergeSecrets';
import { SecretsWorkspace } from './secretsWorkspace';

/**
 * The merged secrets of one app, read once (no watching): `app` is its entrypoint script or its
 * folder, `workspaceFolder` plays the editor's workspace folder (where `streamlit run` starts).
 */
export function mergedSecretsOfApp(app: string, workspaceFolder: string, settings: StreamlitSecretsSettings = defaultSettings, home?: () => string | undefined): MergedSecrets {
  const workspace = new SecretsWorkspace({ openDocument: () => undefined, onFilesChanged: () => undefined, watch: false, ...(home ? { home } : {}) });
  const target = path.resolve(app);
  const isPython = /\.pyi?$/.test(target);
  const locations = workspace.chainLocationsOf(target, path.resolve(workspaceFolder), { cwd: settings.cwd, globalSecretsFile: settings.globalSecretsFile }, { isPython });
  return workspace.mergedFor(locations);
}
