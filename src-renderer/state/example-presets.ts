// Lesson buttons ask for examples by id (`gradlab-action load-example <presetId>`). The built-in
// presets live in lib/presets.ts; other parts of the app (e.g. the frog images) register theirs
// here, so the lesson pane can load them without App knowing each one.

export type ExampleLoader = () => void | Promise<void>;

const loaders = new Map<string, ExampleLoader>();

/** Makes `load-example <id>` in a lesson call `load`. A later registration for the same id replaces the earlier one. */
export function registerExamplePreset(id: string, load: ExampleLoader): void {
  loaders.set(id, load);
}

export function exampleLoader(id: string): ExampleLoader | undefined {
  return loaders.get(id);
}
