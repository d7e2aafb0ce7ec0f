package org.aiscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.aiscan.model.InvalidInputException;
import org.junit.jupiter.api.Test;

/** The destinations of collect --ssh: host part, snapshot file name, refusals. */
class SshTargetsTest {
    @Test
    void hostAndFileOfEachForm() {
        assertEquals("gpu1", SshTargets.host("gpu1"));
        assertEquals("198.18.31.2", SshTargets.host("root@198.18.31.2"));
        assertEquals("2001:2::2", SshTargets.host("root@2001:2::2"));
        assertEquals("198.18.31.2", SshTargets.host("ssh://admin@198.18.31.2:2222"));
        assertEquals("2001:2::2", SshTargets.host("ssh://[2001:2::2]:2222"));
        assertEquals("198.18.31.2-2222.json", SshTargets.fileName("ssh://root@198.18.31.2:2222"));
        assertEquals("2001_2__2-2222.json", SshTargets.fileName("ssh://[2001:2::2]:2222"));
        assertEquals("gpu1.json", SshTargets.fileName("ops@gpu1"));
    }

    @Test
    void optionsAndBlanksAreNotDestinations() {
        for (String bad : new String[] {"-oProxyCommand=x", "root@", "a b", "root@-x"}) {
            assertThrows(InvalidInputException.class, () -> SshTargets.check(bad), bad);
        }
    }
}
