import type { Caller } from '../runtime/caller.ts';

/**
 * The one room each connection joins: staff and integrators by role (they see every change),
 * members by their actor id (their own actors and their links, R1).
 */
export function audienceRoom(caller: Caller): string {
  return caller.role === 'seeker' || caller.role === 'provider' ? `member:${caller.subject}` : `role:${caller.role}`;
}

/** Whether a Socket.IO room is an audience room (each socket also has a room of its own id). */
export const isAudienceRoom = (room: string) => room.startsWith('member:') || room.startsWith('role:');

export const STAFF_ROLES = ['agent', 'reviewer', 'integrator'] as const;

/** The member role of a member actor id. */
export const memberRole = (id: string): 'seeker' | 'provider' => (id.startsWith('skr_') ? 'seeker' : 'provider');
