// The bundled frog images as Vite sees them: the manifest and a URL for every PNG rendering.
// Decoding goes through an <img> element (allowed by the CSP's img-src 'self'), so it works the
// same over http:// in the browser edition and app:// in Electron.
import manifestJson from '../../assets/images/frogs.json';
import type { FrogManifest } from './frog-presets';

export const frogManifest = manifestJson as unknown as FrogManifest;

const pngUrls = import.meta.glob('../../assets/images/*.png', { query: '?url', import: 'default', eager: true }) as Record<string, string>;

/** The URL of a bundled PNG by its file name ("frog-sitting-green-64.png"). */
export function bundledPngUrl(fileName: string): string {
  const key = Object.keys(pngUrls).find((path) => path.endsWith(`/${fileName}`));
  if (!key) throw new Error(`The bundled image ${fileName} is missing from assets/images.`);
  return pngUrls[key];
}
