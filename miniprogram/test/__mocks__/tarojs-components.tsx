/**
 * Taro components as plain DOM elements, so tests can query what a member sees. Taro-only props (hoverClass,
 * formType, ...) are dropped; className, style, data-*, aria-*, role and event handlers pass through.
 */
import { createElement, forwardRef, type ReactNode } from 'react';

type Props = Record<string, unknown> & { children?: ReactNode };

const PASS = /^(className|style|id|role|children|src|alt|value|placeholder|disabled|type|data-.*|aria-.*|on[A-Z].*)$/;

function host(tag: string, displayName: string) {
  const C = forwardRef<HTMLElement, Props>(function TaroMock(props, ref) {
    const out: Record<string, unknown> = { ref };
    for (const [k, v] of Object.entries(props)) {
      if (!PASS.test(k)) continue;
      if (k === 'onInput' || k === 'onConfirm') out.onChange = v;
      else if (k === 'onTap') out.onClick = v;
      else out[k] = v;
    }
    return createElement(tag, out);
  });
  C.displayName = displayName;
  return C;
}

export const View = host('div', 'View');
export const Text = host('span', 'Text');
export const Button = host('button', 'Button');
export const Image = host('img', 'Image');
export const Input = host('input', 'Input');
export const Textarea = host('textarea', 'Textarea');
export const ScrollView = host('div', 'ScrollView');
export const Swiper = host('div', 'Swiper');
export const SwiperItem = host('div', 'SwiperItem');
export const Label = host('label', 'Label');
export const Form = host('form', 'Form');
export const Navigator = host('a', 'Navigator');
export const Map = host('div', 'Map');
export const Block = ({ children }: Props) => <>{children}</>;
export const Picker = host('div', 'Picker');
export const Video = host('video', 'Video');
/** <RichText nodes="<p>…</p>">: the HTML string as the element's content, as Taro's H5 renders it. */
export const RichText = ({ nodes }: { nodes?: unknown }) => (
  <div dangerouslySetInnerHTML={{ __html: typeof nodes === 'string' ? nodes : '' }} />
);
