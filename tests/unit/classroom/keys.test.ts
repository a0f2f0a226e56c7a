import { describe, expect, it } from 'vitest';
import { isPresenterToggleKey, presenterAction } from '../../../src-renderer/classroom/keys';

const live = { replaying: false, inControl: false };
const replay = { replaying: true, inControl: false };

describe('presenterAction', () => {
  it('maps a clicker: PageDown/PageUp steps, F5 and Shift+F5 toggle, Escape exits, b and . blank', () => {
    expect(presenterAction({ key: 'PageDown' }, live)).toBe('nextStep');
    expect(presenterAction({ key: 'PageUp' }, live)).toBe('previousStep');
    expect(presenterAction({ key: 'F5' }, live)).toBe('togglePresenter');
    expect(presenterAction({ key: 'F5', shiftKey: true }, live)).toBe('togglePresenter');
    expect(presenterAction({ key: 'Escape' }, live)).toBe('exit');
    expect(presenterAction({ key: 'b' }, live)).toBe('toggleBlank');
    expect(presenterAction({ key: 'B', shiftKey: true }, live)).toBe('toggleBlank');
    expect(presenterAction({ key: '.' }, live)).toBe('toggleBlank');
  });

  it('Space runs/pauses and the right arrow steps one epoch while live', () => {
    expect(presenterAction({ key: ' ', code: 'Space' }, live)).toBe('runPause');
    expect(presenterAction({ key: 'ArrowRight' }, live)).toBe('stepEpoch');
    expect(presenterAction({ key: 'ArrowLeft' }, live)).toBeNull();
  });

  it('the arrows scrub while replaying', () => {
    expect(presenterAction({ key: 'ArrowRight' }, replay)).toBe('replayForward');
    expect(presenterAction({ key: 'ArrowLeft' }, replay)).toBe('replayBack');
    expect(presenterAction({ key: 'Home' }, replay)).toBe('replayStart');
    expect(presenterAction({ key: 'End' }, replay)).toBe('replayEnd');
    expect(presenterAction({ key: 'Home' }, live)).toBeNull();
  });

  it('leaves typing keys to a focused field but still obeys the clicker', () => {
    const typing = { replaying: false, inControl: true };
    expect(presenterAction({ key: ' ' }, typing)).toBeNull();
    expect(presenterAction({ key: 'b' }, typing)).toBeNull();
    expect(presenterAction({ key: 'ArrowRight' }, typing)).toBeNull();
    expect(presenterAction({ key: 'PageDown' }, typing)).toBe('nextStep');
    expect(presenterAction({ key: 'Escape' }, typing)).toBe('exit');
  });

  it('ignores browser shortcuts with Ctrl/Alt/Meta', () => {
    expect(presenterAction({ key: 'b', ctrlKey: true }, live)).toBeNull();
    expect(presenterAction({ key: 'F5', ctrlKey: true }, live)).toBeNull();
    expect(presenterAction({ key: 'PageDown', altKey: true }, live)).toBeNull();
    expect(presenterAction({ key: 'x' }, live)).toBeNull();
  });

  it('isPresenterToggleKey is F5 without Ctrl/Alt/Meta', () => {
    expect(isPresenterToggleKey({ key: 'F5' })).toBe(true);
    expect(isPresenterToggleKey({ key: 'F5', shiftKey: true })).toBe(true);
    expect(isPresenterToggleKey({ key: 'F5', ctrlKey: true })).toBe(false);
    expect(isPresenterToggleKey({ key: 'F6' })).toBe(false);
  });
});
