package dev.fleetrun.aws;

/**
 * What SSM reports for one node of one command: the coarse status, the detail that tells
 * Undeliverable from Failed and DeliveryTimedOut from ExecutionTimedOut, the exit code
 * ({@code -1} when the command never started there), output excerpts, where the full output is, and whether
 * it started on the node at all ({@code started}: SSM gives it an ExecutionStartDateTime; {@code true} when unknown).
 */
public record Invocation(
        String commandId,
        String instanceId,
        String status,
        String statusDetails,
        Integer responseCode,
        String stdout,
        String stderr,
        String outputUrl,
        boolean started) {

    /** Longest stdout excerpt kept in a node record; the full output stays in SSM, S3 or CloudWatch Logs. */
    public static final int STDOUT_EXCERPT = 4_000;
    /** Longest stderr excerpt kept in a node record. */
    public static final int STDERR_EXCERPT = 2_000;

    public Invocation {
        stdout = excerpt(stdout, STDOUT_EXCERPT);
        stderr = excerpt(stderr, STDERR_EXCERPT);
    }

    /** An invocation not known to have not started. */
    public Invocation(String commandId, String instanceId, String status, String statusDetails, Integer responseCode,
                      String stdout, String stderr, String outputUrl) {
        this(commandId, instanceId, status, statusDetails, responseCode, stdout, stderr, outputUrl, true);
    }

    /** The tail of a long output: the end of a script's output usually says why it ended. */
    static String excerpt(String s, int max) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (s.length() <= max) {
            return s;
        }
        String marker = "[...first " + (s.length() - max) + " chars cut]\n";
        return marker + s.substring(s.length() - (max - marker.length()));
    }
}
