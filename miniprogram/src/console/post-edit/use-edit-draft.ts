import { useEffect, useMemo, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import { queryValue } from '../../utils/quiz-nav';
import { back } from '../../utils/service-nav';
import { publishOrgs } from './draft';

/**
 * What 发布岗位 and 登记微心愿 share: the thing being edited (`?id=`) or a new one in the first org the actor
 * publishes to, the draft and its setters, one save at a time with the server's refusal in words, then back; and
 * the page container's state. `draftOf` must be a module-level function (it is an effect dependency).
 */
export function useEditDraft<T, D extends object>(
  load: (id: string) => Promise<T>,
  draftOf: (existing: T | undefined, orgId: string) => D,
) {
  const me = useMe();
  const id = queryValue(useRouter().params.id);
  const existing = useRequest(() => load(id!), [id], me.loggedIn && !!id);
  const orgs = useMemo(() => (me.data ? publishOrgs(me.data) : []), [me.data]);
  const [draft, setDraft] = useState<D | null>(null);
  const [problem, setProblem] = useState('');
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (draft || !me.data || (id && !existing.data)) return;
    setDraft(draftOf(existing.data, orgs[0]?.value ?? ''));
  }, [draft, me.data, existing.data, id, orgs, draftOf]);

  const set =
    <K extends keyof D>(key: K) =>
    (value: D[K]) =>
      setDraft((d) => (d ? { ...d, [key]: value } : d));

  /** Writes the draft (unless `check` names a problem), says `done`, and goes back. */
  async function save(check: (d: D) => string | null, write: (d: D) => Promise<unknown>, done: string) {
    if (!draft || saving) return;
    const wrong = check(draft);
    if (wrong) return setProblem(wrong);
    setSaving(true);
    setProblem('');
    try {
      await write(draft);
      void Taro.showToast({ title: done, icon: 'success' });
      back();
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : '保存失败，请重试');
    } finally {
      setSaving(false);
    }
  }

  const loading = me.loading || existing.loading;
  const container = {
    loggedIn: me.loggedIn,
    loading,
    hasData: !!draft,
    error: me.error ?? existing.error,
    onRetry: () => void (existing.error ? existing.reload() : me.reload()),
    empty: !loading && !!me.data && orgs.length === 0,
  };
  return { id, existing: existing.data, orgs, draft, set, problem, saving, save, container };
}
