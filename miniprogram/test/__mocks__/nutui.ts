// The package's `main` is a UMD bundle of every component (lottie needs a real canvas). Tests load the real ES
// build of just the components the app uses.
export { Button } from '@nutui/nutui-react-taro/dist/es/packages/button/button';
