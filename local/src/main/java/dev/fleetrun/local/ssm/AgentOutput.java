package dev.fleetrun.local.ssm;

/**
 * How much of a script's output SSM hands back, and how it marks a cut, as the SSM Agent does
 * (amazon-ssm-agent, {@code agent/framework/processor/executer/iohandler/iohandler.go}):
 * <ul>
 *   <li>{@code StandardOutputContent} keeps the first 24,000 characters, {@code StandardErrorContent}
 *       the first 8,000; a cut one ends with {@code --output truncated--} (within the limit), and text of exactly
 *       the limit's length is cut too ({@code agent/plugins/pluginutil/pluginutil.go} {@code StringPrefix}, applied in
 *       {@code agent/framework/runpluginutil/runpluginutil.go} with {@code iohandler.DefaultOutputConfig()}'s
 *       24,000 and 8,000; the agent itself cuts stderr at 24,000 there, and the service model documents
 *       StandardErrorContent as its first 8,000 characters, which is what is kept here).</li>
 *   <li>A plugin's {@code Output} (ListCommandInvocations with Details) is stdout, then
 *       {@code \n----------ERROR-------\n} and stderr when there is any, in at most 2,500 characters:
 *       when both are long each gets half, otherwise the long one is cut; a cut stdout ends with
 *       {@code \n---Output truncated---}, a cut stderr with {@code \n---Error truncated----}.
 *       After exit 168 (success, skip the remaining steps) stderr is left out.</li>
 * </ul>
 * Lengths are counted in Java characters; the agent counts bytes, so multi-byte text is cut later here.
 */
public final class AgentOutput {
    public static final int PLUGIN_OUTPUT_LIMIT = 2500;
    public static final int STDOUT_LIMIT = 24000;
    public static final int STDERR_LIMIT = 8000;
    public static final String CONTENT_TRUNCATED = "--output truncated--";
    public static final String OUTPUT_TRUNCATED = "\n---Output truncated---";
    public static final String ERROR_TRUNCATED = "\n---Error truncated----";
    public static final String ERROR_TITLE = "\n----------ERROR-------\n";
    private static final int EXIT_WITH_SUCCESS = 168;

    private AgentOutput() {
    }

    /** GetCommandInvocation's StandardOutputContent. */
    public static String standardOutput(String stdout) {
        return cut(stdout, STDOUT_LIMIT);
    }

    /** GetCommandInvocation's StandardErrorContent. */
    public static String standardError(String stderr) {
        return cut(stderr, STDERR_LIMIT);
    }

    /** A CommandPlugin's Output. */
    public static String pluginOutput(String stdout, String stderr, int exitCode) {
        String error = exitCode == EXIT_WITH_SUCCESS ? "" : stderr;
        String title = error.isEmpty() ? "" : ERROR_TITLE;
        int available = PLUGIN_OUTPUT_LIMIT - title.length();
        int out = stdout.length();
        int err = error.length();
        if (out + err < available) {
            return stdout + title + error;
        }
        if (out > available / 2 && err > available / 2) {
            int half = (available - ERROR_TRUNCATED.length() - OUTPUT_TRUNCATED.length()) / 2;
            return stdout.substring(0, half) + OUTPUT_TRUNCATED + title + error.substring(0, half) + ERROR_TRUNCATED;
        }
        if (out < available / 2) {
            int keep = available - ERROR_TRUNCATED.length() - out;
            return stdout + title + error.substring(0, Math.max(0, keep)) + ERROR_TRUNCATED;
        }
        int keep = available - OUTPUT_TRUNCATED.length() - err;
        return stdout.substring(0, Math.max(0, keep)) + OUTPUT_TRUNCATED + title + error;
    }

    /**
     * The agent's {@code pluginutil.StringPrefix}: text shorter than the limit is kept whole; text of the limit's length
     * or longer keeps its first {@code limit - 20} characters and ends with the marker, so the answer has exactly
     * {@code limit} characters. (A stdout of exactly 24,000 characters is cut too: the agent tests {@code len < max}.)
     */
    private static String cut(String text, int limit) {
        if (text.length() < limit) {
            return text;
        }
        return text.substring(0, limit - CONTENT_TRUNCATED.length()) + CONTENT_TRUNCATED;
    }
}
