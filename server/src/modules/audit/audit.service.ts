import { AuditModel } from './audit.model';

export interface AuditEntry {
  actorId: string;
  action: string;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
}

export async function recordAudit(entry: AuditEntry): Promise<void> {
  await AuditModel.create(entry);
}

export async function auditTrail(targetType: string, targetId: string) {
  // A deliberate scan on FerretDB: audits are read rarely, by admins.
  return AuditModel.find({ targetType, targetId }).sort({ at: 1 }).lean();
}
