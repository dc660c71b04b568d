package dev.fleetrun.local.ssm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Output is cut where and how the SSM Agent cuts it. */
class AgentOutputTest {

    @Test
    void keepsTheStartOfLongStandardOutputAndErrorWithTheAgentsMarker() {
        String stdout = AgentOutput.standardOutput("x".repeat(24001));
        String stderr = AgentOutput.standardError("y".repeat(8001));

        assertEquals(24000, stdout.length());
        assertEquals("x".repeat(23980) + "--output truncated--", stdout);
        assertEquals(8000, stderr.length());
        assertEquals("y".repeat(7980) + "--output truncated--", stderr);
    }

    @Test
    void cutsAtTheLimitItselfAsTheAgentsStringPrefixDoes() {
        // pluginutil.StringPrefix keeps the input only when len(input) < max: 23,999 stays, 24,000 is cut.
        assertEquals("a".repeat(23999), AgentOutput.standardOutput("a".repeat(23999)));
        assertEquals("a".repeat(23980) + "--output truncated--", AgentOutput.standardOutput("a".repeat(24000)));
        assertEquals("a".repeat(23980) + "--output truncated--", AgentOutput.standardOutput("a".repeat(24001)));
        assertEquals("e".repeat(7999), AgentOutput.standardError("e".repeat(7999)));
        assertEquals("e".repeat(7980) + "--output truncated--", AgentOutput.standardError("e".repeat(8000)));
        assertEquals("e".repeat(7980) + "--output truncated--", AgentOutput.standardError("e".repeat(8001)));
    }

    @Test
    void pluginOutputJoinsStdoutAndStderrUnderATitle() {
        assertEquals("out\n----------ERROR-------\nerr", AgentOutput.pluginOutput("out", "err", 1));
        assertEquals("out", AgentOutput.pluginOutput("out", "", 0));
        assertEquals("out", AgentOutput.pluginOutput("out", "err", 168), "exit 168 leaves stderr out");
    }

    @Test
    void pluginOutputCutsTheLongOneWhenTheOtherIsShort() {
        String longOut = AgentOutput.pluginOutput("o".repeat(5000), "err", 1);
        String longErr = AgentOutput.pluginOutput("out", "e".repeat(5000), 1);

        assertTrue(longOut.endsWith("o\n---Output truncated---\n----------ERROR-------\nerr"), longOut);
        assertEquals(2500, longOut.length(), "fills the 2,500 characters");
        assertTrue(longErr.startsWith("out\n----------ERROR-------\neee"), longErr);
        assertTrue(longErr.endsWith("e\n---Error truncated----"), longErr);
        assertEquals(2500, longErr.length());
    }

    @Test
    void pluginOutputGivesEachHalfWhenBothAreLong() {
        String output = AgentOutput.pluginOutput("o".repeat(3000), "e".repeat(3000), 1);

        int half = (2500 - 24 - 23 - 23) / 2;
        assertEquals("o".repeat(half) + "\n---Output truncated---\n----------ERROR-------\n" + "e".repeat(half)
                + "\n---Error truncated----", output);
    }
}
