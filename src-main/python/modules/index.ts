// The modules a learner's program can import in GradLab. To add one, write a ModuleDefinition
// (module-registry.ts) and list it here; a module's native object types join each interpreter
// through its install().
import type { ModuleDefinition } from '../module-registry';
import { collectionsModule } from './collections';
import { copyModule } from './copy';
import { dataclassesModule } from './dataclasses';
import { functoolsModule } from './functools';
import { mathModule } from './math';
import { randomModule } from './random';
import { timeModule } from './time';
import { typingModule } from './typing';
import { TORCH_MODULES } from './torch/index';

export const STANDARD_MODULES: readonly ModuleDefinition[] = [mathModule, timeModule, functoolsModule, randomModule, collectionsModule, copyModule, dataclassesModule, typingModule, ...TORCH_MODULES];
