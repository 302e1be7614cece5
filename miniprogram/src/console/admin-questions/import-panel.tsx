import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { ImportReport } from '@pioneer/shared';
import { importQuestions } from '../../services/api';
import { ApiError } from '../../services/api-error';
import { downloadFile } from '../../services/download';
import { buildUrl } from '../../services/request';
import { chooseFile } from '../../utils/choose-file';

export const IMPORT_COLUMNS =
  '题干、类型（单选/多选/判断）、选项A–选项F、答案（如 AC，判断题填 正确/错误）、解析、标签（逗号分隔）、难度（易/中/难）';

export const TEMPLATE_PATH = '/quiz/questions/import-template';

/** What came of one import: how many went in, how many were skipped, and each rejected row with its reason. */
export function ImportReportView({ report, fileName }: { report: ImportReport; fileName?: string }) {
  return (
    <View className="aq-import__report" data-testid="import-report" role="status">
      {fileName && <Text className="aq-import__file">{fileName}</Text>}
      <View className="aq-import__counts">
        <Text className="aq-import__count aq-import__count--ok" data-testid="import-imported">
          导入 {report.imported} 题
        </Text>
        <Text className="aq-import__count" data-testid="import-skipped">
          跳过 {report.skipped} 题
        </Text>
      </View>
      {report.errors.length > 0 ? (
        <View className="aq-import__errors">
          <Text className="aq-import__errors-title">有问题的行（改好后可再导入这些行）：</Text>
          {report.errors.map((e) => (
            <Text key={`${e.row}-${e.message}`} className="aq-import__error" data-testid="import-error">
              第{e.row}行：{e.message}
            </Text>
          ))}
        </View>
      ) : (
        <Text className="aq-import__clean">没有出错的行</Text>
      )}
    </View>
  );
}

/** Pick a .csv/.xlsx and send it; the report stays until the next import. */
export default function ImportPanel({ onImported }: { onImported: () => void }) {
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<{ report: ImportReport; fileName: string }>();
  const [error, setError] = useState<string>();

  async function downloadTemplate() {
    setError(undefined);
    try {
      await downloadFile(buildUrl(TEMPLATE_PATH, {}), '题库导入模板.xlsx');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '模板下载失败，请重试');
    }
  }

  async function pickAndSend() {
    const file = await chooseFile(['csv', 'xlsx']);
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await importQuestions(file);
      setReport({ report: r, fileName: file.name });
      if (r.imported > 0) onImported();
    } catch (e) {
      setReport(undefined);
      setError(e instanceof ApiError ? e.message : '导入失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="aq-import">
      <Button size="large" block loading={busy} onClick={() => void pickAndSend()} data-testid="aq-import">
        {busy ? '正在导入…' : '导入题库（.csv / .xlsx）'}
      </Button>
      <View className="aq-import__template">
        <Text className="aq-import__hint">表格第一行为表头：{IMPORT_COLUMNS}</Text>
        <Button fill="outline" onClick={() => void downloadTemplate()} data-testid="aq-template">
          下载导入模板
        </Button>
      </View>
      {error && (
        <Text className="aq-import__failed" data-testid="import-failed">
          导入失败：{error}
        </Text>
      )}
      {report && <ImportReportView report={report.report} fileName={report.fileName} />}
    </View>
  );
}
