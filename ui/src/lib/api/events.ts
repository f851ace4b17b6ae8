// Events from the Rust side; their names come generated from src-tauri/src/events.rs.
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import { PUSH_REQUEST_EVENT as PUSH_REQUEST, type PushRequest } from './types';

export type { UnlistenFn };
export { PUSH_REQUEST };

export function onPushRequest(handler: (request: PushRequest) => void): Promise<UnlistenFn> {
  return listen<PushRequest>(PUSH_REQUEST, (event) => handler(event.payload));
}
