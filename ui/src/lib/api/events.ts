// Events from the Rust side; their names come generated from src-tauri/src/events.rs.
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import {
  BACKUP_STATUS_EVENT as BACKUP_STATUS,
  CONTAINERS_SYNCED_EVENT as CONTAINERS_SYNCED,
  type ContainerSynced,
  PUSH_REQUEST_EVENT as PUSH_REQUEST,
  type BackupStatus,
  type PushRequest,
} from './types';

export type { UnlistenFn };
export { BACKUP_STATUS, CONTAINERS_SYNCED, PUSH_REQUEST };

export function onPushRequest(handler: (request: PushRequest) => void): Promise<UnlistenFn> {
  return listen<PushRequest>(PUSH_REQUEST, (event) => handler(event.payload));
}

export function onBackupStatus(handler: (status: BackupStatus) => void): Promise<UnlistenFn> {
  return listen<BackupStatus>(BACKUP_STATUS, (event) => handler(event.payload));
}

export function onContainersSynced(
  handler: (results: ContainerSynced[]) => void,
): Promise<UnlistenFn> {
  return listen<ContainerSynced[]>(CONTAINERS_SYNCED, (event) => handler(event.payload));
}
