package dev.fleetrun.local.sfn.api;

import dev.fleetrun.local.wire.AwsError;
import java.util.Arrays;

/**
 * Checks the shape of the ARNs the Step Functions API takes, before anything is looked up, and refuses a
 * malformed one with AWS's {@code InvalidArn} and AWS's message: {@code Invalid Arn: 'Invalid ARN prefix: x'}
 * for something that is not a Step Functions ARN, {@code Invalid Arn: 'Resource type not valid in this
 * context: execution'} for an execution ARN where a state machine ARN belongs. A well-formed ARN of
 * something that does not exist is left to the lookup ({@code StateMachineDoesNotExist},
 * {@code ExecutionDoesNotExist}).
 */
final class SfnArn {

    /** {@code arn:<partition>:states:<region>:<account>:<type>:<name>} */
    private static final int MIN_PARTS = 7;
    private static final int RESOURCE_TYPE = 5;

    private SfnArn() {
    }

    /** A state machine ARN: {@code arn:aws:states:<region>:<account>:stateMachine:<name>[:<version or alias>]}. */
    static String stateMachine(String arn) {
        String[] parts = statesArn(arn);
        requireType(parts, "stateMachine");
        if (parts.length > MIN_PARTS + 1) {
            throw invalid(arn);
        }
        return arn;
    }

    /** An execution ARN: {@code arn:aws:states:<region>:<account>:execution:<state machine>:<name>}. */
    static String execution(String arn) {
        String[] parts = statesArn(arn);
        requireType(parts, "execution");
        if (parts.length != MIN_PARTS + 1) {
            throw invalid(arn);
        }
        return arn;
    }

    /** The role a state machine runs as: any ARN ({@code arn:aws:iam::<account>:role/<name>}); nothing is assumed. */
    static String role(String arn) {
        String[] parts = arn.split(":", -1);
        if (parts.length < 6 || !parts[0].equals("arn") || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw badPrefix(arn);
        }
        return arn;
    }

    private static String[] statesArn(String arn) {
        String[] parts = arn.split(":", -1);
        if (parts.length < MIN_PARTS || !parts[0].equals("arn") || parts[1].isEmpty() || !parts[2].equals("states")) {
            throw badPrefix(arn);
        }
        if (Arrays.stream(parts).anyMatch(String::isEmpty)) {
            throw invalid(arn);
        }
        return parts;
    }

    private static void requireType(String[] parts, String type) {
        if (!parts[RESOURCE_TYPE].equals(type)) {
            throw AwsError.of("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: " + parts[RESOURCE_TYPE] + "'");
        }
    }

    private static AwsError badPrefix(String arn) {
        return AwsError.of("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: " + arn + "'");
    }

    private static AwsError invalid(String arn) {
        return AwsError.of("InvalidArn", "Invalid Arn: '" + arn + "'");
    }
}
