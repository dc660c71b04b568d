package dev.fleetrun.run;

import dev.fleetrun.domain.Phase;

/**
 * The SendCommand {@code Comment} that ties a command to its run, phase, wave and batch. SSM keeps it
 * (not in events, but in ListCommands), so a crashed send can find its command again, and the SSM
 * console shows which run sent what. Comments are limited to 100 characters: a long run id gets the
 * compact form.
 */
public final class CommandComment {
    public static final String PREFIX = "fleetrun ";
    private static final int MAX = 100;

    private CommandComment() {
    }

    public static String of(String runId, Phase phase, int wave, int batch) {
        String readable = PREFIX + runId + (phase == Phase.ROLLBACK ? " rollback" : "") + " wave " + wave + " batch " + batch;
        if (readable.length() <= MAX) {
            return readable;
        }
        String compact = PREFIX + runId + "/" + phase.id().charAt(0) + wave + "/" + batch;
        if (compact.length() <= MAX) {
            return compact;
        }
        // Execution names are at most 80 characters, so this is only reached by hand-made run ids.
        String tail = "/" + phase.id().charAt(0) + wave + "/" + batch + "#" + Integer.toHexString(runId.hashCode());
        return (PREFIX + runId).substring(0, MAX - tail.length()) + tail;
    }

    /** Whether a comment was written by fleetrun (a command of another tool is ignored). */
    public static boolean isFleetrun(String comment) {
        return comment != null && comment.startsWith(PREFIX);
    }
}
