package dev.fleetrun.local.sfn.moto;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How one execution ended, as DescribeExecution reports it, in a form both engines give.
 *
 * @param status SUCCEEDED, FAILED, TIMED_OUT or ABORTED; or {@link #REFUSED} when CreateStateMachine refused the
 *               definition (then error is the API's error code and cause its message)
 * @param output the output (SUCCEEDED only), or {@code null}
 * @param error  the error (FAILED, TIMED_OUT), or {@code null}
 * @param cause  the cause, or {@code null}
 */
public record RunOutcome(String status, JsonNode output, String error, String cause) {

    /** The status of a definition refused before anything ran. */
    public static final String REFUSED = "REFUSED_BY_CREATE_STATE_MACHINE";
}
