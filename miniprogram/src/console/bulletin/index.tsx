import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { PLAN_ITEM_LABELS, PLAN_STATUS_LABELS, type Plan, type ScoreResults } from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import { useRequest } from '../../hooks/use-request';
import { getBulletin, quarterOf, shiftQuarter } from '../../services/scorecards-api';
import './index.scss';

const stars = (n: number | null) => (n ? '★'.repeat(n) : '不参评');
const dash = (n: number | null) => (n === null ? '—' : String(n));

function Summary({ r }: { r: ScoreResults }) {
  const rated = r.branches.filter((b) => b.score !== null);
  const avg = rated.length ? Math.round((rated.reduce((s, b) => s + b.score!, 0) / rated.length) * 10) / 10 : 0;
  const count = (s: number) => rated.filter((b) => b.stars === s).length;
  return (
    <Text className="bulletin__p" data-testid="bulletin-summary">
      {r.label}，{r.org.name}共有党支部{r.branches.length}个，参评{rated.length}个，平均得分{avg}分。其中五星级支部
      {count(5)}个、四星级{count(4)}个、三星级{count(3)}个、二星级{count(2)}个、一星级{count(1)}个；最强党支部候选
      {r.branches.filter((b) => b.candidate).length}个；认定软弱涣散党组织{r.branches.filter((b) => b.weak).length}个。
    </Text>
  );
}

function WeakPart({ r, plans }: { r: ScoreResults; plans: Plan[] }) {
  const weak = r.branches.filter((b) => b.weak);
  if (weak.length === 0) return <Text className="bulletin__p">本季度无软弱涣散党组织。</Text>;
  const planOf = new Map(plans.map((p) => [p.branchId, p]));
  return (
    <table className="bulletin__table">
      <thead>
        <tr>
          <th>支部</th>
          <th>认定原因</th>
          <th>整顿情况</th>
        </tr>
      </thead>
      <tbody>
        {weak.map((b) => {
          const p = planOf.get(b.id);
          return (
            <tr key={b.id}>
              <td>
                {b.townshipName} {b.name}
              </td>
              <td>{b.weakReason}</td>
              <td>
                {p
                  ? `${PLAN_STATUS_LABELS[p.status]}：` +
                    p.items
                      .map(
                        (i) =>
                          `${i.n}.${i.text}（${i.owner}，${PLAN_ITEM_LABELS[i.status]}${i.overdue ? '，逾期' : ''}）`,
                      )
                      .join('；')
                  : '未制定整顿方案'}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/**
 * 季度通报, printable (A4): the county's title, the date, the summary, township and branch rankings with stars, the
 * weak branches with their 整顿 plans, cadres' days. No console frame or tab bar: what the department prints or
 * pastes into its document.
 */
export default function BulletinPage() {
  const { params } = useRouter();
  const quarter = params.quarter ?? shiftQuarter(quarterOf(Date.now()), -1);
  const res = useRequest(() => getBulletin(quarter, params.org), [quarter, params.org]);
  const b = res.data;
  const r = b?.results;
  return (
    <PageContainer
      className="bulletin-page"
      loading={res.loading}
      hasData={!!b}
      error={res.error}
      onRetry={() => void res.reload()}
    >
      {r && b && process.env.TARO_ENV === 'h5' && (
        <View className="bulletin-tools">
          <Text className="bulletin-tools__print" onClick={() => window.print()} data-testid="bulletin-print">
            打印 / 存为PDF
          </Text>
        </View>
      )}
      {r && b && (
        <View className="bulletin" data-testid="bulletin">
          <Text className="bulletin__org">{r.county.name}委组织部</Text>
          <Text className="bulletin__title" data-testid="bulletin-title">
            关于{r.label}基层党组织星级评定情况的通报
          </Text>
          <Text className="bulletin__date" data-testid="bulletin-date">
            {b.generatedAt}
          </Text>
          <Text className="bulletin__h">一、总体情况</Text>
          <Summary r={r} />
          <Text className="bulletin__h">二、乡镇排名</Text>
          <table className="bulletin__table">
            <thead>
              <tr>
                <th>排名</th>
                <th>乡镇</th>
                <th>参评支部</th>
                <th>平均得分</th>
                <th>五星支部</th>
                <th>软弱涣散</th>
                <th>驻村干部在岗（人天）</th>
              </tr>
            </thead>
            <tbody>
              {[...r.townships]
                .sort((x, y) => (x.rank ?? 1e9) - (y.rank ?? 1e9))
                .map((t) => (
                  <tr key={t.id}>
                    <td>{dash(t.rank)}</td>
                    <td>{t.name}</td>
                    <td>{t.rated}</td>
                    <td>{dash(t.average)}</td>
                    <td>{t.fiveStars}</td>
                    <td>{t.weak}</td>
                    <td>{t.cadreDays}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          <Text className="bulletin__h">三、支部排名及星级</Text>
          <table className="bulletin__table" data-testid="bulletin-branches">
            <thead>
              <tr>
                <th>排名</th>
                <th>支部</th>
                <th>乡镇</th>
                <th>得分</th>
                <th>星级</th>
                <th>备注</th>
              </tr>
            </thead>
            <tbody>
              {r.branches.map((x) => (
                <tr key={x.id}>
                  <td>{dash(x.countyRank)}</td>
                  <td>{x.name}</td>
                  <td>{x.townshipName}</td>
                  <td>{dash(x.score)}</td>
                  <td className="bulletin__stars">{stars(x.stars)}</td>
                  <td>{x.candidate ? '最强党支部候选' : x.weak ? '软弱涣散' : (x.note ?? '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Text className="bulletin__h">四、软弱涣散党组织及整顿情况</Text>
          <WeakPart r={r} plans={b.plans} />
        </View>
      )}
    </PageContainer>
  );
}
