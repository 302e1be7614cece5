import { Text, View } from '@tarojs/components'
import './index.scss'

export interface ComingSoonProps {
  title: string
  description: string
  features: readonly string[]
}

/** Placeholder for a tab whose feature is not built yet: says plainly what will come. */
export default function ComingSoon({ title, description, features }: ComingSoonProps) {
  return (
    <View className='coming-soon' data-testid='coming-soon'>
      <View className='coming-soon__badge'>
        <Text>即将上线</Text>
      </View>
      <Text className='coming-soon__title'>{title}</Text>
      <Text className='coming-soon__desc'>{description}</Text>
      <View className='coming-soon__list'>
        {features.map((f) => (
          <View key={f} className='coming-soon__item'>
            <Text>· {f}</Text>
          </View>
        ))}
      </View>
    </View>
  )
}
