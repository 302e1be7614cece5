import type { ReactNode } from 'react';
import { Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';

interface FormSubmitProps {
  /** The last refusal, shown above the button ('' or null: none). */
  error: string | null;
  disabled: boolean;
  onSubmit: () => void;
  testId: string;
  /** The refusal line's test id, where a test reads the message itself. */
  errorTestId?: string;
  children: ReactNode;
}

/** A form's foot: the server's refusal, if any, above the one full-width primary button. */
export default function FormSubmit({ error, disabled, onSubmit, testId, errorTestId, children }: FormSubmitProps) {
  return (
    <>
      {error && (
        <Text className="form-error" data-testid={errorTestId}>
          {error}
        </Text>
      )}
      <Button type="primary" size="large" block disabled={disabled} onClick={onSubmit} data-testid={testId}>
        {children}
      </Button>
    </>
  );
}
