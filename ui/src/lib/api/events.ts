// Events from the Rust side; mirrors src-tauri/src/events.rs.
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { PushRequest } from './types';

export type { UnlistenFn };

export const PUSH_REQUEST = 'push-request';

export function onPushRequest(handler: (request: PushRequest) => void): Promise<UnlistenFn> {
  return listen<PushRequest>(PUSH_REQUEST, (event) => handler(event.payload));
}
