// Events from the Rust side; their names come generated from src-tauri/src/events.rs.
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import {
  CLOCK_CHANGED_EVENT as CLOCK_CHANGED,
  LOCK_CHANGED_EVENT as LOCK_CHANGED,
  PUSH_WAITING_EVENT as PUSH_WAITING,
  type ClockStatus,
  type LockChangedDto,
  BACKUP_STATUS_EVENT as BACKUP_STATUS,
  CONTAINERS_SYNCED_EVENT as CONTAINERS_SYNCED,
  type ContainerSynced,
  PUSH_REQUEST_EVENT as PUSH_REQUEST,
  LOGIN_REQUESTS_CHANGED_EVENT as LOGIN_REQUESTS_CHANGED,
  type BackupStatus,
  type PushRequest,
} from './types';

export type { UnlistenFn };
export {
  BACKUP_STATUS,
  CLOCK_CHANGED,
  CONTAINERS_SYNCED,
  LOCK_CHANGED,
  LOGIN_REQUESTS_CHANGED,
  PUSH_REQUEST,
  PUSH_WAITING,
};

export function onPushRequest(handler: (request: PushRequest) => void): Promise<UnlistenFn> {
  return listen<PushRequest>(PUSH_REQUEST, (event) => handler(event.payload));
}

export function onBackupStatus(handler: (status: BackupStatus) => void): Promise<UnlistenFn> {
  return listen<BackupStatus>(BACKUP_STATUS, (event) => handler(event.payload));
}

export function onContainersSynced(handler: (results: ContainerSynced[]) => void): Promise<UnlistenFn> {
  return listen<ContainerSynced[]>(CONTAINERS_SYNCED, (event) => handler(event.payload));
}

export function onLockChanged(handler: (locked: boolean) => void): Promise<UnlistenFn> {
  return listen<LockChangedDto>(LOCK_CHANGED, (event) => handler(event.payload.locked));
}

/** A login request arrived while locked: its details come after the unlock. */
export function onPushWaiting(handler: () => void): Promise<UnlistenFn> {
  return listen<null>(PUSH_WAITING, () => handler());
}

export function onClockChanged(handler: (status: ClockStatus) => void): Promise<UnlistenFn> {
  return listen<ClockStatus>(CLOCK_CHANGED, (event) => handler(event.payload));
}

/** How login requests reach this device changed: read it again. */
export function onLoginRequestsChanged(handler: () => void): Promise<UnlistenFn> {
  return listen<null>(LOGIN_REQUESTS_CHANGED, () => handler());
}
