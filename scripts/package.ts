// `npm run dist`: installers for this platform with electron-builder, configured in
// electron.config.ts. Needs network access to fetch Electron and the packaging tools, so it runs
// in the release workflow, not in CI here.
import { build } from 'electron-builder';
import { builderConfig } from '../electron.config';

const artifacts = await build({ config: builderConfig, publish: 'never' });
for (const file of artifacts) console.log(file);
