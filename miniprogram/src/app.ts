import { type PropsWithChildren } from 'react'
import { useLaunch } from '@tarojs/taro'
// NutUI styles: only for the components we use (the full sheet is 230 KB).
import '@nutui/nutui-react-taro/dist/es/packages/button/style/style.css'
import './app.scss'

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // Session checks happen per page (PageContainer), so the app shell stays dumb.
  })
  return children
}

export default App
