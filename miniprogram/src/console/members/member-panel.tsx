import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { MemberRow, OrgTreeNode } from '@pioneer/shared';
import { MEMBER_STATUS_LABELS } from '@pioneer/shared/src/members';
import { ApiError } from '../../services/api-error';
import { adjustPoints, patchMember, setMemberStatus, startTransfer } from '../../services/org-admin-api';
import { roleLabels } from '../../utils/format';
import { PointsForm, RolesForm, StatusForm, TransferForm, TransferHistory } from './member-forms';

type Mode = 'roles' | 'transfer' | 'status' | 'points' | 'history' | null;

export interface MemberPanelProps {
  member: MemberRow;
  meId: string;
  /** The admin's subtree (roles need it); absent for a secretary, who does not set roles. */
  tree?: OrgTreeNode;
  onChanged: () => void;
}

/** One member's 管理: roles (admins), 转接, 党籍状态, 积分调整, 转接记录 — each a large button opening its form. */
export default function MemberPanel({ member, meId, tree, onChanged }: MemberPanelProps) {
  const [mode, setMode] = useState<Mode>(null);
  const self = member.id === meId;
  const active = member.status === 'active';

  async function run(what: () => Promise<unknown>, ok: string): Promise<boolean> {
    try {
      await what();
      void Taro.showToast({ title: ok, icon: 'success' });
      setMode(null);
      onChanged();
      return true;
    } catch (e) {
      void Taro.showModal({
        title: '未能完成',
        content: e instanceof ApiError ? e.message : '请稍后重试',
        showCancel: false,
      });
      return false;
    }
  }

  const button = (m: Exclude<Mode, null>, label: string) => (
    <Button
      size="large"
      type={mode === m ? 'primary' : 'default'}
      data-testid={`member-${m}`}
      onClick={() => setMode(mode === m ? null : m)}
    >
      {label}
    </Button>
  );
  const cancel = () => setMode(null);
  return (
    <View className="members__card members__panel" data-testid="member-panel">
      <Text className="members__panel-name">{member.name}</Text>
      <Text className="members__meta">
        {member.org?.name ?? '未加入支部'} · {roleLabels(member.roles).join('、')} ·{' '}
        {MEMBER_STATUS_LABELS[member.status]}
        {member.contact ? ` · ${member.contact}` : ''}
      </Text>
      {member.pendingTransferTo && <Text className="members__badge">转往{member.pendingTransferTo}，待接收</Text>}
      {self ? (
        <Text className="members__hint">不能为自己调整角色、积分或党籍状态。</Text>
      ) : (
        <View className="members__action-row">
          {tree && active && button('roles', '设置角色')}
          {active && !member.pendingTransferTo && button('transfer', '组织关系转接')}
          {button('status', '党籍状态')}
          {active && button('points', '积分调整')}
          {button('history', '转接记录')}
        </View>
      )}
      {mode === 'roles' && tree && (
        <RolesForm
          member={member}
          tree={tree}
          onCancel={cancel}
          onSave={(v) => run(() => patchMember(member.id, v), '已保存')}
        />
      )}
      {mode === 'transfer' && (
        <TransferForm
          member={member}
          onCancel={cancel}
          onSave={(v) => run(() => startTransfer(member.id, v.toOrgId, v.reason), '已发起转接')}
        />
      )}
      {mode === 'status' && (
        <StatusForm
          member={member}
          onCancel={cancel}
          onSave={(v) => run(() => setMemberStatus(member.id, v.status, v.reason), '已变更')}
        />
      )}
      {mode === 'points' && (
        <PointsForm onCancel={cancel} onSave={(v) => run(() => adjustPoints({ userId: member.id, ...v }), '已调整')} />
      )}
      {mode === 'history' && <TransferHistory member={member} />}
    </View>
  );
}
