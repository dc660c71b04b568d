package dev.fleetrun.testing;

import dev.fleetrun.local.wire.AwsService;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.AwsJsonProtocol;
import dev.fleetrun.local.wire.RequestFields;
import dev.fleetrun.local.wire.WireTree;
import static dev.fleetrun.local.wire.RequestFields.checkLength;
import static dev.fleetrun.local.wire.RequestFields.optionalText;
import static dev.fleetrun.local.wire.RequestFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The task-token callbacks of Step Functions over AWS JSON 1.0
 * ({@code X-Amz-Target: AWSStepFunctions.<Op>}): SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat.
 *
 * <p>Any token is open until it is completed or the test closes it ({@link #closeToken}, as a
 * timeout would). A call on a closed token gets {@code TaskTimedOut}, as AWS answers a second
 * SendTaskSuccess; SendTaskSuccess and SendTaskFailure close their token. Success outputs must be
 * JSON ({@code InvalidOutput} otherwise).
 */
public final class FakeStepFunctions extends AwsService {
    private static final int MAX_OUTPUT = 256 * 1024;

    /** An accepted SendTaskSuccess. */
    public record TaskSuccess(String taskToken, String output) {
        /** The output, parsed. */
        public JsonNode outputJson() {
            try {
                return WireTree.JSON.readTree(output);
            } catch (IOException e) {
                throw new IllegalStateException("accepted output is JSON", e);
            }
        }
    }

    /** An accepted SendTaskFailure; {@code error} and {@code cause} are "" when not sent. */
    public record TaskFailure(String taskToken, String error, String cause) {
    }

    private final List<TaskSuccess> successes = new ArrayList<>();
    private final List<TaskFailure> failures = new ArrayList<>();
    private final List<String> heartbeats = new ArrayList<>();
    private final Set<String> closedTokens = new HashSet<>();

    FakeStepFunctions(Clock clock) {
        super("sfn", new AwsJsonProtocol("1.0"), List.of("SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat"),
                clock);
    }

    /** The accepted SendTaskSuccess calls, in order. */
    public synchronized List<TaskSuccess> successes() {
        return List.copyOf(successes);
    }

    /** The accepted SendTaskFailure calls, in order. */
    public synchronized List<TaskFailure> failures() {
        return List.copyOf(failures);
    }

    /** The tokens of the accepted SendTaskHeartbeat calls, in order. */
    public synchronized List<String> heartbeats() {
        return List.copyOf(heartbeats);
    }

    /** Closes a token, as a task timeout or a stopped execution does: later calls on it get TaskTimedOut. */
    public synchronized void closeToken(String taskToken) {
        closedTokens.add(taskToken);
    }

    public synchronized boolean isClosed(String taskToken) {
        return closedTokens.contains(taskToken);
    }

    @Override
    protected JsonNode handle(String operation, JsonNode input) {
        String token = requiredText(input, "taskToken");
        checkLength("taskToken", token, 1, 2048);
        switch (operation) {
            case "SendTaskSuccess" -> {
                String output = requiredText(input, "output");
                checkOutput(output);
                requireOpen(token);
                successes.add(new TaskSuccess(token, output));
                closedTokens.add(token);
            }
            case "SendTaskFailure" -> {
                String error = optionalText(input, "error", "");
                String cause = optionalText(input, "cause", "");
                checkLength("error", error, 0, 256);
                checkLength("cause", cause, 0, 32768);
                requireOpen(token);
                failures.add(new TaskFailure(token, error, cause));
                closedTokens.add(token);
            }
            case "SendTaskHeartbeat" -> {
                requireOpen(token);
                heartbeats.add(token);
            }
            default -> throw AwsError.unknownOperation(name(), operation, operations());
        }
        return WireTree.object();
    }

    private void requireOpen(String token) {
        if (closedTokens.contains(token)) {
            throw AwsError.of("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
        }
    }

    private static void checkOutput(String output) {
        if (output.length() > MAX_OUTPUT) {
            throw AwsError.of("InvalidOutput", "The output is " + output.length()
                    + " characters; Step Functions accepts at most 262144");
        }
        try {
            WireTree.JSON.readTree(output);
        } catch (IOException e) {
            throw AwsError.of("InvalidOutput", "Invalid State Machine Execution output: the output must be JSON ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }
}
