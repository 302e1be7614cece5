import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { InviteRow } from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import TextField from '../../components/TextField';
import DataTable, { type Column } from '../../components/DataTable';
import { useRequest } from '../../hooks/use-request';
import { useWideScreen } from '../../hooks/use-wide-screen';
import { ApiError } from '../../services/api-error';
import { createInvite, getInvites, revokeInvite } from '../../services/org-admin-api';
import { formatTime } from '../../utils/format';
import { BranchChips, useBranchChoice } from '../org-tree/branch-picker';
import './index.scss';

const DAYS = [1, 7, 30, 90] as const;

export function inviteState(i: InviteRow): string {
  if (i.revoked) return '已作废';
  if (i.expired) return '已过期';
  if (i.usesLeft === 0) return '已用完';
  return '有效';
}

const failed = (e: unknown) =>
  void Taro.showModal({
    title: '未能完成',
    content: e instanceof ApiError ? e.message : '请稍后重试',
    showCancel: false,
  });

async function revoke(i: InviteRow, after: () => Promise<void>) {
  const { confirm } = await Taro.showModal({
    title: '作废邀请码',
    content: `作废后 ${i.code} 不能再用于加入支部，确定吗？`,
    confirmColor: '#C8161D',
  });
  if (!confirm) return;
  try {
    await revokeInvite(i.code);
    void Taro.showToast({ title: '已作废', icon: 'success' });
  } catch (e) {
    failed(e);
  }
  await after();
}

/** New code: valid for 1/7/30/90 days, at most N people. */
function CreateForm({ orgId, onCreated }: { orgId: string; onCreated: () => Promise<void> }) {
  const [days, setDays] = useState<number>(7);
  const [uses, setUses] = useState('50');
  const [busy, setBusy] = useState(false);
  const n = Number(uses);
  const valid = Number.isInteger(n) && n >= 1 && n <= 1000;
  async function create() {
    setBusy(true);
    try {
      const made = await createInvite(orgId, { expiresInDays: days, maxUses: n });
      await onCreated();
      void Taro.showModal({
        title: '邀请码已生成',
        content: `${made.code}\n有效期至 ${formatTime(made.expiresAt)}，最多 ${made.maxUses} 人使用`,
        showCancel: false,
      });
    } catch (e) {
      failed(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <View className="invites__card" data-testid="invite-form">
      <Text className="invites__title">生成邀请码</Text>
      <Text className="invites__label">有效期</Text>
      <View className="invites__chips">
        {DAYS.map((d) => (
          <View
            key={d}
            className={`invites__chip${d === days ? ' invites__chip--on' : ''}`}
            data-testid={`days-${d}`}
            onClick={() => setDays(d)}
          >
            <Text>{d} 天</Text>
          </View>
        ))}
      </View>
      <TextField
        label="最多使用人数（1-1000）"
        value={uses}
        onChange={setUses}
        type="number"
        maxLength={4}
        testId="invite-max-uses"
      />
      <Button
        type="primary"
        size="large"
        block
        disabled={busy || !valid}
        data-testid="invite-create"
        onClick={() => void create()}
      >
        生成邀请码
      </Button>
    </View>
  );
}

/**
 * 邀请码: a secretary's branch (an admin picks any branch of their subtree): create with expiry and max uses, the list
 * with uses left, and revoke.
 */
export default function InvitesPage() {
  const { me, isAdmin, ownBranch, branches, orgId, orgName, pick } = useBranchChoice();
  const list = useRequest(() => getInvites(orgId!), [orgId], !!orgId);
  const wide = useWideScreen();
  const items = list.data?.items ?? [];
  const columns: readonly Column<InviteRow>[] = [
    { key: 'code', title: '邀请码', render: (i) => <Text className="invites__code">{i.code}</Text> },
    { key: 'expires', title: '有效期至', render: (i) => formatTime(i.expiresAt), sortBy: (i) => i.expiresAt },
    {
      key: 'uses',
      title: '已用 / 上限',
      render: (i) => `${i.uses} / ${i.maxUses}`,
      numeric: true,
      sortBy: (i) => i.uses,
    },
    { key: 'left', title: '剩余', render: (i) => i.usesLeft, numeric: true, sortBy: (i) => i.usesLeft },
    { key: 'state', title: '状态', render: inviteState },
    {
      key: 'revoke',
      title: '操作',
      render: (i) =>
        inviteState(i) === '有效' ? (
          <Text className="invites__link" data-testid="invite-revoke" onClick={() => void revoke(i, list.reload)}>
            作废
          </Text>
        ) : (
          '—'
        ),
    },
  ];
  return (
    <PageContainer
      console="invites"
      loggedIn={me.loggedIn}
      loading={me.loading}
      hasData={!!me.data}
      error={me.error}
      onRetry={me.reload}
      empty={!!me.data && !isAdmin && !ownBranch}
      emptyText="只有支部书记和管理员可以管理邀请码"
    >
      <View className="invites">
        {isAdmin && (
          <View className="invites__card" data-testid="invite-branches">
            <Text className="invites__title">选择支部</Text>
            <BranchChips
              block="invites"
              branches={branches}
              orgId={orgId}
              onPick={pick}
              filterTestId="branch-filter"
              chipTestId="invite-branch"
            />
          </View>
        )}
        {orgId && (
          <>
            <Text className="invites__scope">{orgName}</Text>
            <CreateForm orgId={orgId} onCreated={list.reload} />
            <PageContainer
              inline
              loading={list.loading}
              hasData={!!list.data}
              error={list.error}
              empty={!!list.data && items.length === 0}
              emptyText="还没有邀请码"
              onRetry={list.reload}
            >
              {wide ? (
                <DataTable rows={items} columns={columns} rowKey={(i) => i.code} testId="invites-table" />
              ) : (
                <View className="invites__list">
                  {items.map((i) => (
                    <View key={i.code} className="invites__row" data-testid="invite-row" data-code={i.code}>
                      <View>
                        <Text className="invites__code">{i.code}</Text>
                        <Text className="invites__meta">
                          至 {formatTime(i.expiresAt)} · 已用 {i.uses}/{i.maxUses} · 剩余 {i.usesLeft}
                        </Text>
                      </View>
                      {inviteState(i) === '有效' ? (
                        <Button size="large" data-testid="invite-revoke" onClick={() => void revoke(i, list.reload)}>
                          作废
                        </Button>
                      ) : (
                        <Text className="invites__state">{inviteState(i)}</Text>
                      )}
                    </View>
                  ))}
                </View>
              )}
            </PageContainer>
          </>
        )}
        {isAdmin && !orgId && <Text className="invites__scope">请先选择支部</Text>}
      </View>
    </PageContainer>
  );
}
