// A small spinner (the dots of cli-spinners): our own, because importing @inkjs/ui for it loads every
// ink-ui component and costs the wizard's first frame more than all of our screens together.
import { useEffect, useState } from 'react';
import { Text } from 'ink';
import { tint } from './theme.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function Spinner({ label }: { label: string }) {
  const [i, setI] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setI((x) => (x + 1) % FRAMES.length), 80);
    return () => clearInterval(t);
  }, []);
  return (
    <Text>
      <Text color={tint('cyan')}>{FRAMES[i]}</Text> {label}
    </Text>
  );
}
