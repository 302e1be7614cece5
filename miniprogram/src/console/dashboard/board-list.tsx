import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';

/** How many items a board panel lists; the rest are on the page the link opens. */
const SHOWN = 5;

/**
 * A panel of the 数据看板 that counts things waiting somewhere else (逾期整改, 整顿): a count line, the first few items
 * and the way to the page where they are handled. Test ids: `<testId>`, `-count`, `-item`, `-link`.
 */
export default function BoardList(props: {
  testId: string;
  title: string;
  count: string;
  items: { key: string; text: string }[];
  /** The link's words when every item is listed here. */
  link: string;
  url: string;
}) {
  const { testId, items } = props;
  return (
    <View className="dash__panel" data-testid={testId}>
      <Text className="dash__panel-title">{props.title}</Text>
      <Text className="dash__cover-item" data-testid={`${testId}-count`}>
        {props.count}
      </Text>
      {items.slice(0, SHOWN).map((i) => (
        <Text key={i.key} className="dash__cover-item" data-testid={`${testId}-item`}>
          {i.text}
        </Text>
      ))}
      <Text
        className="dash__link"
        data-testid={`${testId}-link`}
        onClick={() => void Taro.navigateTo({ url: props.url })}
      >
        {items.length > SHOWN ? `查看全部${items.length}项` : props.link} ›
      </Text>
    </View>
  );
}
