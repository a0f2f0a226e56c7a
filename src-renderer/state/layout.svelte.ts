// Which of the lab's folding sections are open (remembered), and a way to bring one into view:
// Run's "why not" note points at the field to fix, even when its section is folded away.
import { tick } from 'svelte';

export type LabSection = 'data' | 'start' | 'images' | 'numbers';

const KEY = 'gradlab.labSections';
const DEFAULT_OPEN: Record<LabSection, boolean> = { data: true, start: true, images: false, numbers: false };

function readOpen(): Record<LabSection, boolean> {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    if (saved && typeof saved === 'object') {
      const open = { ...DEFAULT_OPEN };
      for (const section of Object.keys(DEFAULT_OPEN) as LabSection[]) {
        const value = (saved as Record<string, unknown>)[section];
        if (typeof value === 'boolean') open[section] = value;
      }
      return open;
    }
  } catch {
    // storage unavailable or damaged: the defaults
  }
  return { ...DEFAULT_OPEN };
}

class LabLayout {
  open = $state(readOpen());

  setOpen(section: LabSection, open: boolean): void {
    if (this.open[section] === open) return;
    this.open[section] = open;
    try {
      localStorage.setItem(KEY, JSON.stringify(this.open));
    } catch {
      // not remembered; fine for this session
    }
  }

  /** Opens `section`, scrolls it into view and focuses `selector` inside it (or the section). */
  async reveal(section: LabSection, selector?: string): Promise<void> {
    this.setOpen(section, true);
    await tick();
    const element = document.getElementById(`lab-${section}`);
    if (!element) return;
    const target = (selector ? element.querySelector<HTMLElement>(selector) : null) ?? element.querySelector<HTMLElement>('summary');
    element.scrollIntoView({ block: 'nearest' });
    target?.focus({ preventScroll: true });
  }
}

export const labLayout = new LabLayout();
