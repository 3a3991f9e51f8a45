// An unknown SSH host key: its SHA256 fingerprint, to compare with the peer's before anything runs there.
import { Box, Text } from 'ink';
import type { HostKeyQuestion } from '../../steps/types.js';
import { tint } from '../common/theme.js';

export function HostKeyPrompt({ question }: { question: HostKeyQuestion }) {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold color={tint('yellow')}>
        Unknown host key for {question.label}
      </Text>
      <Text>
        {question.keyType} {question.fingerprint}
      </Text>
      {question.otherKeysWarning ? (
        <Text wrap="wrap" color={tint('red')}>
          WARNING: {question.otherKeysWarning}
        </Text>
      ) : null}
      <Text wrap="wrap">
        Compare it on {question.host} with: ssh-keygen -lf /etc/ssh/ssh_host_{question.keyType.replace(/^ssh-/, '').replace(/^ecdsa-.*/, 'ecdsa')}_key.pub
      </Text>
      <Text>y: it matches, trust it (added to known_hosts) · n: refuse</Text>
    </Box>
  );
}
