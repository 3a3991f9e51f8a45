// What will happen, what is needed, and that nothing changes on the nodes until the very end.
import { Box, Text } from 'ink';
import { useKeys } from '../common/use-keys.js';
import type { StepScreenProps } from '../../steps/types.js';
import { NextButton } from './next-button.js';

export function WelcomeScreen({ next, active, services }: StepScreenProps) {
  useKeys((_input, key) => {
    if (key.return) next();
  }, active);
  return (
    <Box flexDirection="column">
      <Text wrap="wrap">
        This wizard turns two Linux servers into one highly available NFS service: two disks per node mirrored
        (RAID1), LVM with room for snapshots, DRBD replicating to the peer, and Pacemaker moving the service
        and its virtual IP to the surviving node.
      </Text>
      <Box flexDirection="column" marginTop={1}>
        <Text bold>You need</Text>
        <Text>  · two nodes with the same Linux distribution, root on both (the peer over SSH)</Text>
        <Text>  · two blank disks on each node, and a free address for the virtual IP</Text>
        <Text>  · ideally a second NIC on each node for replication</Text>
      </Box>
      <Box flexDirection="column" marginTop={1}>
        <Text bold>Nothing changes on the nodes until the end.</Text>
        <Text wrap="wrap">
          The wizard only reads them. You review every file, then export them or apply them. Answers are saved
          after every step to {services.answersPath}.
        </Text>
        {services.demo ? <Text>DEMO: the nodes are the embedded demo lab (recorded outputs of two real nodes).</Text> : null}
      </Box>
      <Box marginTop={1}>
        <NextButton focused errors={0} label="Start" />
      </Box>
    </Box>
  );
}
