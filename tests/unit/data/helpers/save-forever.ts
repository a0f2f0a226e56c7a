// Child process for the killed-writer test: saves a large session to argv[2] again and again,
// atomically, until it is killed. Prints "ready" once the session text is built.
import { writeFileAtomic } from '../../../../src-main/data/session-store.node.js';
import { serializeSession } from '../../../../src-main/data/session';
import { imageSession } from './sessions';

const target = process.argv[2];
const session = imageSession(512, 3);
session.run = {
  epochs: 1_000_000,
  finalLoss: 0.01,
  b: 0.5,
  w: { length: 4, min: 0, max: 1, mean: 0.5, first: [0, 1] },
  wValues: Float32Array.from({ length: 512 * 512 * 3 }, (_, i) => (i % 97) / 97),
  lossHistory: Float32Array.from({ length: 1_000_000 }, (_, i) => 1 / (i + 1)),
};
const text = serializeSession(session);
process.stdout.write(`ready ${text.length}\n`);
for (;;) {
  await writeFileAtomic(target, text);
}
