import { Role } from '../domain/access/role.js';
import type { User } from '../domain/access/user.js';
import type { Factor } from '../domain/factor/factor.js';
import type { AuditEvent, ObjectHit } from '../store/ports.js';
import type { Release } from '../domain/protected-object/register.js';
import type {
  AuditEventView,
  FactorView,
  Me,
  ProtectedObjectView,
  ReleaseView,
  UserView,
} from '../contract/index.js';

/** The signed-in user as `GET /api/auth/me` shows them. */
export function meView(user: User, permissions: { recordType: string; action: string }[]): Me {
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    roleLabel: Role.label(user.role),
    clearance: user.clearance,
    organisations: [...user.organisations],
    compartments: [...user.compartments],
    fullName: user.fullName,
    demo: user.demo,
    permissions,
  };
}

/** A user as administrators see them. */
export function userView(u: User): UserView {
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    clearance: u.clearance,
    organisations: [...u.organisations],
    compartments: [...u.compartments],
    fullName: u.fullName,
    contact: u.contact,
    disabled: u.disabled,
    demo: u.demo,
    createdAt: u.createdAt,
  };
}

/** A factor as the API shows it. */
export function factorView(f: Factor): FactorView {
  return {
    ...f,
    topics: [...f.topics],
    marking: {
      classification: f.marking.classification,
      releasability: [...f.marking.releasability],
    },
  };
}

/** An audit event as the API shows it (without the previous hash, which is the prior row's). */
export function auditView(e: AuditEvent): AuditEventView {
  const { prevHash: _prev, ...rest } = e;
  return rest;
}

/** A protected object as the API shows it. */
export function objectView(o: ObjectHit): ProtectedObjectView {
  return {
    ...o,
    geometry: o.geometry as ProtectedObjectView['geometry'],
    centroid: [o.centroid[0], o.centroid[1]],
    topics: [...o.topics],
    marking: {
      classification: o.marking.classification,
      releasability: [...o.marking.releasability],
    },
  };
}

/** A release as the API shows it. */
export function releaseView(r: Release): ReleaseView {
  return {
    ...r,
    marking: {
      classification: r.marking.classification,
      releasability: [...r.marking.releasability],
    },
  };
}
