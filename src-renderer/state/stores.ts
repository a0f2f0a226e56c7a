// The window's stores wired to the bridge: the one event feed, and the lab's training run. The
// store classes themselves take their feed and `send` as arguments (tests pass fakes).
import { bridge, newRunId } from '../bridge';
import type { Request } from '../../src-main/contract/messages';
import { EventFeed } from './feed';
import { TrainingRun } from './training-run';

export const feed = new EventFeed(bridge);
export const sendRequest = (request: Request): void => bridge.send(request);

/** The lab's run (the presenter has its own, see classroom.svelte.ts). */
export const run = new TrainingRun({ feed, send: sendRequest, newRunId: () => newRunId('train') });
