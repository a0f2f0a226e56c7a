// Classroom mode's public face for the app (App.svelte / main.ts):
//   PresenterMode  props { lang, lessonId, onExit }  – the full-screen presenter view
//   AudienceView   props { lang }                    – the `?audience=1` window (charts only)
//   isAudienceWindow()                               – true in that window
//   classroom                                        – the state (classroom.presenter, …)
//   installPresenterShortcuts()                      – F5 toggles presenter mode app-wide
export { default as PresenterMode } from './PresenterMode.svelte';
export { default as AudienceView } from './AudienceView.svelte';
export { classroom, installPresenterShortcuts } from './classroom.svelte';
export { isAudienceWindow, audienceUrl } from './sync';
export { ct } from './strings';
export type { ClassroomLang, ClassroomKey } from './strings';
