import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { uploadPhoto } from '../../services/api';
import { ApiError } from '../../services/api-error';
import { mediaUrl } from '../../services/media';
import { choosePhoto } from '../../utils/choose-photo';
import './index.scss';

export interface PhotoPickerProps {
  label?: string;
  /** Uploaded photo URLs, in order. */
  value: string[];
  onChange: (urls: string[]) => void;
  max: number;
  testId?: string;
  /** True while a photo is uploading: the form waits before it submits. */
  onBusy?: (busy: boolean) => void;
}

/** Pick a photo, upload it at once (POST /uploads), show it; tap × to take it out. */
export default function PhotoPicker({
  label = '现场照片（选填）',
  value,
  onChange,
  max,
  testId = 'photos',
  onBusy,
}: PhotoPickerProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function add() {
    if (busy || value.length >= max) return;
    const file = await choosePhoto();
    if (!file) return;
    setBusy(true);
    onBusy?.(true);
    setError('');
    try {
      const { url } = await uploadPhoto(file);
      onChange([...value, url]);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '照片上传失败，请重试');
    } finally {
      setBusy(false);
      onBusy?.(false);
    }
  }

  const preview = (url: string) => {
    if (typeof Taro.previewImage === 'function')
      void Taro.previewImage({ urls: value.map(mediaUrl), current: mediaUrl(url) });
  };

  return (
    <View className="photos">
      <Text className="photos__label">{`${label} ${value.length}/${max}`}</Text>
      <View className="photos__grid">
        {value.map((url) => (
          <View key={url} className="photos__item" data-testid={`${testId}-item`}>
            <Image className="photos__img" src={mediaUrl(url)} mode="aspectFill" onClick={() => preview(url)} />
            <View
              className="photos__remove"
              role="button"
              aria-label="删除照片"
              onClick={() => onChange(value.filter((u) => u !== url))}
            >
              <Text>×</Text>
            </View>
          </View>
        ))}
        {value.length < max && (
          <View
            className={`photos__add${busy ? ' photos__add--busy' : ''}`}
            role="button"
            data-testid={`${testId}-add`}
            onClick={() => void add()}
          >
            <Text className="photos__plus">{busy ? '…' : '+'}</Text>
            <Text className="photos__hint">{busy ? '上传中' : '添加照片'}</Text>
          </View>
        )}
      </View>
      {error && (
        <Text className="photos__error" data-testid={`${testId}-error`}>
          {error}
        </Text>
      )}
    </View>
  );
}
