import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Fence, OrgTreeNode, OrgType } from '@pioneer/shared';
import { ORG_CHILD_TYPES, ORG_TYPE_LABELS } from '@pioneer/shared/src/orgs';
import TextField from '../../components/TextField';
import FenceForm from '../checkin-fences/fence-form';
import { allRows, subtreeIds } from './tree-rows';

export type Mode = 'create' | 'rename' | 'fence' | 'move' | null;

export interface OrgActionsProps {
  node: OrgTreeNode;
  root: OrgTreeNode;
  parentName: string;
  busy: boolean;
  /** Each resolves true when saved (the form closes), false when refused (the form stays, the toast says why). */
  onCreate: (name: string, type: OrgType) => Promise<boolean>;
  onRename: (name: string) => Promise<boolean>;
  onFence: (fence: Fence) => Promise<boolean>;
  onMove: (parentId: string) => Promise<boolean>;
  onDissolve: () => void;
}

function CreateForm({
  node,
  busy,
  onCreate,
  onCancel,
}: {
  node: OrgTreeNode;
  busy: boolean;
  onCreate: (name: string, type: OrgType) => void;
  onCancel: () => void;
}) {
  const types = ORG_CHILD_TYPES[node.type];
  const [type, setType] = useState<OrgType>(types[0]!);
  const [name, setName] = useState('');
  return (
    <View className="otree__form" data-testid="create-form">
      <Text className="otree__form-title">在「{node.name}」下新建</Text>
      <View className="otree__chips">
        {types.map((t) => (
          <View
            key={t}
            className={`otree__chip${t === type ? ' otree__chip--on' : ''}`}
            data-testid={`type-${t}`}
            onClick={() => setType(t)}
          >
            <Text>{ORG_TYPE_LABELS[t]}</Text>
          </View>
        ))}
      </View>
      <TextField
        label="名称"
        value={name}
        onChange={setName}
        placeholder={type === 'branch' ? '例如：青山村党支部' : '例如：青山镇'}
        maxLength={60}
        testId="create-name"
      />
      <View className="otree__buttons">
        <Button size="large" onClick={onCancel}>
          取消
        </Button>
        <Button
          type="primary"
          size="large"
          disabled={busy}
          data-testid="create-save"
          onClick={() =>
            name.trim() ? onCreate(name.trim(), type) : void Taro.showToast({ title: '请填写名称', icon: 'none' })
          }
        >
          新建
        </Button>
      </View>
    </View>
  );
}

function RenameForm({
  node,
  busy,
  onRename,
  onCancel,
}: {
  node: OrgTreeNode;
  busy: boolean;
  onRename: (n: string) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(node.name);
  return (
    <View className="otree__form" data-testid="rename-form">
      <TextField label="新名称" value={name} onChange={setName} maxLength={60} testId="rename-name" />
      <View className="otree__buttons">
        <Button size="large" onClick={onCancel}>
          取消
        </Button>
        <Button
          type="primary"
          size="large"
          disabled={busy || !name.trim() || name.trim() === node.name}
          data-testid="rename-save"
          onClick={() => onRename(name.trim())}
        >
          保存
        </Button>
      </View>
    </View>
  );
}

/** Where the org may go: any org of the subtree that takes its type, except itself and what lies under it. */
function MoveForm({
  node,
  root,
  busy,
  onMove,
  onCancel,
}: {
  node: OrgTreeNode;
  root: OrgTreeNode;
  busy: boolean;
  onMove: (id: string) => void;
  onCancel: () => void;
}) {
  const own = subtreeIds(node);
  const targets = allRows(root).filter(
    (r) => !own.has(r.node.id) && r.node.id !== node.parentId && ORG_CHILD_TYPES[r.node.type].includes(node.type),
  );
  const [to, setTo] = useState<string | null>(null);
  return (
    <View className="otree__form" data-testid="move-form">
      <Text className="otree__form-title">把「{node.name}」调整到：</Text>
      {targets.length === 0 && <Text className="otree__hint">辖区内没有可以接收该组织的上级</Text>}
      <View className="otree__targets">
        {targets.map((r) => (
          <View
            key={r.node.id}
            className={`otree__target${to === r.node.id ? ' otree__target--on' : ''}`}
            style={{ paddingLeft: `${24 + r.depth * 28}px` }}
            data-testid="move-target"
            data-name={r.node.name}
            onClick={() => setTo(r.node.id)}
          >
            <Text>{r.node.name}</Text>
            <Text className="otree__meta">{ORG_TYPE_LABELS[r.node.type]}</Text>
          </View>
        ))}
      </View>
      <Text className="otree__hint">下级组织和党员随之调整；已获得的积分仍计在原上级组织。</Text>
      <View className="otree__buttons">
        <Button size="large" onClick={onCancel}>
          取消
        </Button>
        <Button
          type="primary"
          size="large"
          disabled={busy || !to}
          data-testid="move-save"
          onClick={() => to && onMove(to)}
        >
          确定调整
        </Button>
      </View>
    </View>
  );
}

async function confirmDissolve(node: OrgTreeNode, onDissolve: () => void) {
  const { confirm } = await Taro.showModal({
    title: '撤销组织',
    content: `确定撤销「${node.name}」吗？只有没有党员和下级组织的组织可以撤销。`,
    confirmColor: '#C8161D',
  });
  if (confirm) onDissolve();
}

/** What an admin may do with the selected org: each a large button opening its form below. */
export default function OrgActions(p: OrgActionsProps) {
  const [mode, setMode] = useState<Mode>(null);
  const { node } = p;
  const isRoot = node.id === p.root.id;
  const fenced = node.type === 'village' || node.type === 'community';
  const done =
    <T extends unknown[]>(fn: (...a: T) => Promise<boolean>) =>
    (...a: T) => {
      void fn(...a).then((saved) => saved && setMode(null));
    };
  return (
    <View className="otree__actions" data-testid="org-actions">
      <Text className="otree__selected">
        {node.name}
        {p.parentName ? <Text className="otree__meta">{`  上级：${p.parentName}`}</Text> : null}
      </Text>
      <View className="otree__action-row">
        {ORG_CHILD_TYPES[node.type].length > 0 && (
          <Button size="large" data-testid="action-create" onClick={() => setMode('create')}>
            新建下级
          </Button>
        )}
        <Button size="large" data-testid="action-rename" onClick={() => setMode('rename')}>
          改名
        </Button>
        {fenced && (
          <Button size="large" data-testid="action-fence" onClick={() => setMode('fence')}>
            打卡范围
          </Button>
        )}
        {!isRoot && (
          <Button size="large" data-testid="action-move" onClick={() => setMode('move')}>
            调整隶属
          </Button>
        )}
        {!isRoot && (
          <Button
            size="large"
            type="danger"
            data-testid="action-dissolve"
            onClick={() => void confirmDissolve(node, p.onDissolve)}
          >
            撤销
          </Button>
        )}
      </View>
      {mode === 'create' && (
        <CreateForm node={node} busy={p.busy} onCreate={done(p.onCreate)} onCancel={() => setMode(null)} />
      )}
      {mode === 'rename' && (
        <RenameForm node={node} busy={p.busy} onRename={done(p.onRename)} onCancel={() => setMode(null)} />
      )}
      {mode === 'fence' && (
        <FenceForm
          village={{ id: node.id, name: node.name, type: node.type, parentName: p.parentName, fence: node.fence }}
          saving={p.busy}
          onSave={done(p.onFence)}
          onCancel={() => setMode(null)}
        />
      )}
      {mode === 'move' && (
        <MoveForm node={node} root={p.root} busy={p.busy} onMove={done(p.onMove)} onCancel={() => setMode(null)} />
      )}
    </View>
  );
}
