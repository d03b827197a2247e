// Worker threads do not inherit the main thread's module hooks: register tsx here, then load the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./worker-entry.ts');
