// Window-level preferences: theme (follows the OS unless overridden) and the splitter position.
// Both are remembered in localStorage.

export type ThemePreference = 'system' | 'light' | 'dark';

const THEME_KEY = 'gradlab.theme';
const SPLIT_KEY = 'gradlab.split';
export const SPLIT_MIN = 25;
export const SPLIT_MAX = 70;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Preferences just are not remembered when storage is unavailable.
  }
}

const darkQuery = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

function initialTheme(): ThemePreference {
  const saved = read(THEME_KEY);
  return saved === 'light' || saved === 'dark' || saved === 'system' ? saved : 'system';
}

function initialSplit(): number {
  const saved = Number(read(SPLIT_KEY));
  return Number.isFinite(saved) && saved >= SPLIT_MIN && saved <= SPLIT_MAX ? saved : 40;
}

class Settings {
  theme = $state<ThemePreference>(initialTheme());
  systemDark = $state(darkQuery?.matches ?? false);
  /** Width of the lesson pane in percent of the window. */
  split = $state(initialSplit());
  resolvedTheme = $derived<'light' | 'dark'>(this.theme === 'system' ? (this.systemDark ? 'dark' : 'light') : this.theme);

  setTheme(theme: ThemePreference): void {
    this.theme = theme;
    write(THEME_KEY, theme);
  }

  setSplit(percent: number): void {
    this.split = Math.round(Math.min(SPLIT_MAX, Math.max(SPLIT_MIN, percent)) * 10) / 10;
    write(SPLIT_KEY, String(this.split));
  }
}

export const settings = new Settings();
darkQuery?.addEventListener('change', (event) => {
  settings.systemDark = event.matches;
});
