import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Question, QuestionType } from '@pioneer/shared';
import { QUESTION_TYPE_LABELS, QUESTION_TYPES } from '@pioneer/shared/src/quiz';
import PageContainer from '../../components/PageContainer';
import Segmented from '../../components/Segmented';
import TextField from '../../components/TextField';
import { useMe } from '../../hooks/use-me';
import type { QuestionFilters } from '../../services/api';
import QuestionEditor from './editor';
import ImportPanel from './import-panel';
import QuestionList from './list';
import './index.scss';

type TypeFilter = QuestionType | 'all';
type ActiveFilter = 'true' | 'false' | 'all';

const TYPE_FILTERS = [
  { value: 'all', label: '全部', testId: 'aq-type-all' },
  ...QUESTION_TYPES.map((t) => ({ value: t, label: QUESTION_TYPE_LABELS[t], testId: `aq-type-${t}` })),
] as const;
const ACTIVE_FILTERS = [
  { value: 'all', label: '全部', testId: 'aq-active-all' },
  { value: 'true', label: '启用中', testId: 'aq-active-true' },
  { value: 'false', label: '已停用', testId: 'aq-active-false' },
] as const;

/** Editing: a question, or `'new'`. */
type Editing = Question | 'new' | null;

/** CSS px from which list and form sit side by side (index.scss has the same number). */
const WIDE_PX = 960;

/**
 * 题库管理 for admins. Built for H5 on a desktop too: on a wide screen the list and the form sit side by side
 * (index.scss); on a phone the form replaces the list while it is open.
 */
export default function AdminQuestions() {
  const me = useMe();
  const isAdmin = !!me.data?.roles.includes('admin');

  const [typed, setTyped] = useState({ q: '', tag: '' });
  const [applied, setApplied] = useState({ q: '', tag: '' });
  const [type, setType] = useState<TypeFilter>('all');
  const [active, setActive] = useState<ActiveFilter>('all');
  const [editing, setEditing] = useState<Editing>(null);
  /** Only county admins add to their county's bank; the platform bank is read-only (the list reply says). */
  const [canCreate, setCanCreate] = useState(false);
  const [saved, setSaved] = useState<Record<string, Question>>({});
  /** Bumped to list again from the first page (after a create or an import). */
  const [version, setVersion] = useState(0);

  const filters: QuestionFilters = {
    q: applied.q.trim() || undefined,
    tag: applied.tag.trim() || undefined,
    type: type === 'all' ? undefined : type,
    active: active === 'all' ? undefined : active,
  };
  const listKey = `${JSON.stringify(filters)}#${version}`;

  function onSaved(q: Question, created: boolean) {
    setSaved((prev) => ({ ...prev, [q.id]: q }));
    setEditing(null);
    if (created) setVersion((v) => v + 1);
  }

  function edit(next: Editing) {
    setEditing(next);
    // Narrow screens: the form takes the list's place, so bring its top into view.
    if (next && Taro.getSystemInfoSync().windowWidth < WIDE_PX)
      void Taro.pageScrollTo({ selector: '.aq__body', duration: 200 });
  }

  const editingId = editing && editing !== 'new' ? editing.id : undefined;
  return (
    <PageContainer
      console="admin-questions"
      className={`aq${editing ? ' aq--editing' : ''}`}
      loggedIn={me.loggedIn}
      loading={me.loading}
      hasData={!!me.data}
      error={me.error}
      onRetry={me.reload}
      empty={!!me.data && !isAdmin}
      emptyText="题库管理仅对管理员开放"
    >
      {isAdmin && (
        <>
          <View className="aq__top">
            <View className="aq__search">
              <View className="aq__search-field">
                <TextField
                  bare
                  label="搜索题干"
                  placeholder="搜索题干关键词"
                  value={typed.q}
                  maxLength={50}
                  onChange={(q) => setTyped({ ...typed, q })}
                  testId="aq-search-input"
                />
              </View>
              <View className="aq__search-field aq__search-field--tag">
                <TextField
                  bare
                  label="标签"
                  placeholder="标签"
                  value={typed.tag}
                  maxLength={20}
                  onChange={(tag) => setTyped({ ...typed, tag })}
                  testId="aq-tag-input"
                />
              </View>
              <View className="aq__search-button">
                <Button type="primary" size="large" block onClick={() => setApplied(typed)} data-testid="aq-search">
                  搜索
                </Button>
              </View>
            </View>
            <Text className="aq__label">题型</Text>
            <Segmented label="题型" options={TYPE_FILTERS} value={type} onChange={setType} />
            <Text className="aq__label">状态</Text>
            <Segmented label="状态" options={ACTIVE_FILTERS} value={active} onChange={setActive} />
            {canCreate ? (
              <View className="aq__tools">
                <View className="aq__tool">
                  <Button type="primary" size="large" block onClick={() => edit('new')} data-testid="aq-create">
                    新建题目
                  </Button>
                </View>
                <View className="aq__tool aq__tool--import">
                  <ImportPanel onImported={() => setVersion((v) => v + 1)} />
                </View>
              </View>
            ) : (
              <Text className="aq__label" data-testid="aq-readonly">
                平台题库只读；本县题目由县级管理员添加和修改
              </Text>
            )}
          </View>

          <View className="aq__body">
            <View className="aq__list-col">
              <QuestionList
                key={listKey}
                filters={filters}
                saved={saved}
                selectedId={editingId}
                onPick={edit}
                onCanCreate={setCanCreate}
              />
            </View>
            <View className="aq__edit-col">
              {editing ? (
                <QuestionEditor
                  key={editingId ?? 'new'}
                  question={editing === 'new' ? undefined : editing}
                  onSaved={onSaved}
                  onCancel={() => setEditing(null)}
                />
              ) : (
                <View className="aq__placeholder">
                  <Text>点左边的一道题来编辑，或点“新建题目”</Text>
                </View>
              )}
            </View>
          </View>
        </>
      )}
    </PageContainer>
  );
}
