import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { MemberRow, MemberStatus, OrgTreeNode, Role } from '@pioneer/shared';
import { MEMBER_STATUSES, MEMBER_STATUS_LABELS, TRANSFER_STATE_LABELS } from '@pioneer/shared/src/members';
import { ORG_TYPE_LABELS } from '@pioneer/shared/src/orgs';
import TextField from '../../components/TextField';
import { useRequest } from '../../hooks/use-request';
import { getMemberTransfers, getTransferBranches } from '../../services/org-admin-api';
import { formatTime } from '../../utils/format';
import { allRows } from '../org-tree/tree-rows';

export type Save<T> = (value: T) => Promise<boolean>;

function Chips<V extends string>({
  options,
  value,
  onChange,
  testId,
}: {
  options: ReadonlyArray<{ value: V; label: string }>;
  value: V | null;
  onChange: (v: V) => void;
  testId: string;
}) {
  return (
    <View className="members__chips">
      {options.map((o) => (
        <View
          key={o.value}
          className={`members__chip${o.value === value ? ' members__chip--on' : ''}`}
          data-testid={`${testId}-${o.value}`}
          onClick={() => onChange(o.value)}
        >
          <Text>{o.label}</Text>
        </View>
      ))}
    </View>
  );
}

function Buttons({
  onCancel,
  onSave,
  disabled,
  testId,
  label = '保存',
}: {
  onCancel: () => void;
  onSave: () => void;
  disabled?: boolean;
  testId: string;
  label?: string;
}) {
  return (
    <View className="members__buttons">
      <Button size="large" onClick={onCancel}>
        取消
      </Button>
      <Button type="primary" size="large" disabled={disabled} data-testid={testId} onClick={onSave}>
        {label}
      </Button>
    </View>
  );
}

export interface RolesValue {
  roles: Role[];
  postedVillageId: string | null;
  adminOrgId: string | null;
}

/** Roles (admins only): 支部书记; 驻村干部 with the village; 管理员 with the org it runs — all inside the admin's subtree. */
export function RolesForm({
  member,
  tree,
  onSave,
  onCancel,
}: {
  member: MemberRow;
  tree: OrgTreeNode;
  onSave: Save<RolesValue>;
  onCancel: () => void;
}) {
  const [roles, setRoles] = useState<Set<Role>>(new Set(member.roles));
  const [village, setVillage] = useState(member.postedVillageId);
  const [adminOrg, setAdminOrg] = useState(member.adminOrgId);
  const orgs = allRows(tree).map((r) => r.node);
  const villages = orgs.filter((o) => o.type === 'village' || o.type === 'community');
  const flip = (r: Role) => setRoles((s) => new Set(s.has(r) ? [...s].filter((x) => x !== r) : [...s, r]));
  const missing = (roles.has('cadre') && !village) || (roles.has('admin') && !adminOrg);
  return (
    <View className="members__form" data-testid="roles-form">
      {(['secretary', 'cadre', 'admin'] as const).map((r) => (
        <View
          key={r}
          className={`members__check${roles.has(r) ? ' members__check--on' : ''}`}
          data-testid={`role-${r}`}
          onClick={() => flip(r)}
        >
          <Text>
            {roles.has(r) ? '☑' : '☐'} {{ secretary: '支部书记（本支部）', cadre: '驻村干部', admin: '管理员' }[r]}
          </Text>
        </View>
      ))}
      {roles.has('cadre') && (
        <>
          <Text className="members__label">派驻的村（社区）</Text>
          <Chips
            options={villages.map((v) => ({ value: v.id, label: v.name }))}
            value={village}
            onChange={setVillage}
            testId="village"
          />
        </>
      )}
      {roles.has('admin') && (
        <>
          <Text className="members__label">管理范围</Text>
          <Chips
            options={orgs
              .filter((o) => o.type !== 'branch')
              .map((o) => ({ value: o.id, label: `${o.name}（${ORG_TYPE_LABELS[o.type]}）` }))}
            value={adminOrg}
            onChange={setAdminOrg}
            testId="admin-org"
          />
        </>
      )}
      {missing && <Text className="members__hint">请选择派驻的村或管理范围</Text>}
      <Buttons
        testId="roles-save"
        disabled={missing}
        onCancel={onCancel}
        onSave={() =>
          void onSave({
            roles: ['member', ...roles].filter((r, i, a) => a.indexOf(r) === i) as Role[],
            postedVillageId: roles.has('cadre') ? village : null,
            adminOrgId: roles.has('admin') ? adminOrg : null,
          })
        }
      />
    </View>
  );
}

/** 组织关系转接: another branch of the county (searchable by name), and why. */
export function TransferForm({
  member,
  onSave,
  onCancel,
}: {
  member: MemberRow;
  onSave: Save<{ toOrgId: string; reason: string }>;
  onCancel: () => void;
}) {
  const branches = useRequest(getTransferBranches, []);
  const [filter, setFilter] = useState('');
  const [to, setTo] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const shown = (branches.data?.items ?? [])
    .filter((b) => b.id !== member.org?.id && (b.name + b.parentName).includes(filter.trim()))
    .slice(0, 30);
  return (
    <View className="members__form" data-testid="transfer-form">
      <Text className="members__label">从 {member.org?.name ?? '—'} 转往：</Text>
      <TextField
        label="查找支部"
        bare
        placeholder="输入支部或村名查找"
        value={filter}
        onChange={setFilter}
        testId="transfer-filter"
      />
      <View className="members__targets">
        {shown.map((b) => (
          <View
            key={b.id}
            className={`members__target${to === b.id ? ' members__target--on' : ''}`}
            data-testid="transfer-target"
            data-name={b.name}
            onClick={() => setTo(b.id)}
          >
            <Text>{b.name}</Text>
            <Text className="members__meta">{b.parentName}</Text>
          </View>
        ))}
      </View>
      <TextField
        label="转接理由"
        value={reason}
        onChange={setReason}
        placeholder="例如：工作调动"
        maxLength={200}
        testId="transfer-reason"
      />
      <Text className="members__hint">
        对方支部书记（或上级管理员）接收后生效；转出后不再担任本支部书记、驻村干部。
      </Text>
      <Buttons
        testId="transfer-save"
        label="发起转接"
        disabled={!to}
        onCancel={onCancel}
        onSave={() => to && void onSave({ toOrgId: to, reason: reason.trim() })}
      />
    </View>
  );
}

/** 党籍状态: 正常 / 停止党籍 / 出党 / 去世, with the reason (kept in the 操作记录). */
export function StatusForm({
  member,
  onSave,
  onCancel,
}: {
  member: MemberRow;
  onSave: Save<{ status: MemberStatus; reason: string }>;
  onCancel: () => void;
}) {
  const [status, setStatus] = useState<MemberStatus>(member.status);
  const [reason, setReason] = useState('');
  return (
    <View className="members__form" data-testid="status-form">
      <Chips
        options={MEMBER_STATUSES.map((s) => ({ value: s, label: MEMBER_STATUS_LABELS[s] }))}
        value={status}
        onChange={setStatus}
        testId="status"
      />
      <TextField
        label="原因"
        value={reason}
        onChange={setReason}
        placeholder="必填，记入操作记录"
        maxLength={200}
        testId="status-reason"
      />
      <Text className="members__hint">
        停止党籍、出党、去世的党员保留历史记录，不再出现在名单和排行榜中，担任的职务一并取消。
      </Text>
      <Buttons
        testId="status-save"
        disabled={status === member.status || reason.trim().length < 2}
        onCancel={onCancel}
        onSave={() => void onSave({ status, reason: reason.trim() })}
      />
    </View>
  );
}

/** Manual points adjustment (±, with a reason): the existing POST /points/adjustments. */
export function PointsForm({
  onSave,
  onCancel,
}: {
  onSave: Save<{ delta: number; reason: string }>;
  onCancel: () => void;
}) {
  const [delta, setDelta] = useState('');
  const [reason, setReason] = useState('');
  const n = Number(delta);
  const valid = Number.isInteger(n) && n !== 0 && Math.abs(n) <= 1000 && reason.trim().length >= 2;
  return (
    <View className="members__form" data-testid="points-form">
      <TextField
        label="调整分值（扣分填负数，如 -5）"
        value={delta}
        onChange={setDelta}
        maxLength={5}
        testId="points-delta"
      />
      <TextField
        label="调整理由"
        value={reason}
        onChange={setReason}
        placeholder="必填，记入操作记录"
        maxLength={200}
        testId="points-reason"
      />
      <Buttons
        testId="points-save"
        disabled={!valid}
        onCancel={onCancel}
        onSave={() => void onSave({ delta: n, reason: reason.trim() })}
      />
    </View>
  );
}

/** The member's transfers, newest first. */
export function TransferHistory({ member }: { member: MemberRow }) {
  const list = useRequest(() => getMemberTransfers(member.id), [member.id]);
  const items = list.data?.items ?? [];
  return (
    <View className="members__form" data-testid="transfer-history">
      {list.data && items.length === 0 && <Text className="members__hint">没有转接记录</Text>}
      {items.map((t) => (
        <View key={t.id} className="members__history">
          <Text>
            {t.from.name} → {t.to.name}：{TRANSFER_STATE_LABELS[t.state]}
          </Text>
          <Text className="members__meta">
            {formatTime(t.startedAt)}
            {t.comment ? ` · ${t.comment}` : ''}
          </Text>
        </View>
      ))}
    </View>
  );
}
