// Node-only build tool (never bundled): turns the hand-drawn frog SVGs in assets/images into the
// PNGs the app ships, and checks that assets/images/frogs.json names only files that exist.
//
//   npx tsx src-main/data/tools/rasterize-frogs.node.ts          # rewrite every PNG
//   npx tsx src-main/data/tools/rasterize-frogs.node.ts --check  # only verify the PNGs are up to date
//
// How the PNGs are made (ImageMagick 6 `convert`, its built-in MSVG renderer):
//   convert -density 96 -background white FILE.svg -alpha remove -alpha off
//           -filter Box -resize SIZExSIZE! -depth 8 -type TrueColor -strip
//           -define png:exclude-chunks=date,time PNG24:OUT.png
// The SVG is drawn at its own 256x256 size, then shrunk with a box filter (an area average, the
// same kind of filter src-main/data/image.ts uses), opaque 8-bit RGB, with no timestamps so the
// bytes only change when the drawing does. The SVGs avoid what that renderer draws differently
// from browsers: transforms (it turns rotations the wrong way), open stroked paths (it closes
// them), <rect> elements (a second one shifts later shapes), opacity (ignored), and shapes
// without an explicit stroke (it outlines them), so every shape says stroke="..." or "none".
// Checked against Chromium's rendering: mean absolute difference about 1% per channel.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const imagesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../assets/images');

interface ManifestImage {
  id: string;
  svg: string;
  png: Record<string, string>;
}

function rasterize(svgPath: string, size: number, outPath: string): void {
  execFileSync('convert', [
    '-density', '96', '-background', 'white', svgPath,
    '-alpha', 'remove', '-alpha', 'off',
    '-filter', 'Box', '-resize', `${size}x${size}!`,
    '-depth', '8', '-type', 'TrueColor', '-strip',
    '-define', 'png:exclude-chunks=date,time',
    `PNG24:${outPath}`,
  ]);
}

function main(): void {
  const checkOnly = process.argv.includes('--check');
  const manifest = JSON.parse(readFileSync(join(imagesDir, 'frogs.json'), 'utf8')) as { images: ManifestImage[] };
  const scratch = mkdtempSync(join(tmpdir(), 'gradlab-frogs-'));
  let stale = 0;
  try {
    for (const image of manifest.images) {
      const svgPath = join(imagesDir, image.svg);
      if (!existsSync(svgPath)) throw new Error(`frogs.json names ${image.svg} for "${image.id}", but that file is missing`);
      for (const [size, file] of Object.entries(image.png)) {
        const outPath = join(imagesDir, file);
        const fresh = join(scratch, file);
        rasterize(svgPath, Number(size), fresh);
        const bytes = readFileSync(fresh);
        const same = existsSync(outPath) && Buffer.compare(readFileSync(outPath), bytes) === 0;
        if (checkOnly) {
          if (!same) {
            stale++;
            console.error(`${file} is out of date with ${image.svg}; run this tool without --check`);
          }
        } else if (!same) {
          writeFileSync(outPath, bytes);
          console.log(`wrote ${file} (${bytes.length} bytes)`);
        }
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (stale > 0) process.exit(1);
}

main();
