import { Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import Segmented from '../../components/Segmented';

/** Where a new post or wish goes, when the actor publishes to more than one org (`what`: 发布范围 / 登记范围). */
export function ScopePicker({
  what,
  orgs,
  value,
  onChange,
}: {
  what: string;
  orgs: { value: string; label: string; testId: string }[];
  value: string;
  onChange: (orgId: string) => void;
}) {
  if (orgs.length < 2) return null;
  return (
    <>
      <Text className="pe__label">{what}</Text>
      <Segmented label={what} options={orgs} value={value} onChange={onChange} />
    </>
  );
}

/** The form's foot: what is wrong (the form's check or the server's refusal), then the save button. */
export function SaveFoot({
  problem,
  saving,
  onSave,
  label,
  testPrefix,
}: {
  problem: string;
  saving: boolean;
  onSave: () => void;
  label: string;
  testPrefix: string;
}) {
  return (
    <>
      {problem && (
        <Text className="pe__problem" data-testid={`${testPrefix}-problem`}>
          {problem}
        </Text>
      )}
      <Button type="primary" size="xlarge" block loading={saving} onClick={onSave} data-testid={`${testPrefix}-save`}>
        {label}
      </Button>
    </>
  );
}
