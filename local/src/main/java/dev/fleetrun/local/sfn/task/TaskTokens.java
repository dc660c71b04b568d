package dev.fleetrun.local.sfn.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.errors.AslError;
import dev.fleetrun.local.sfn.time.EngineClock;
import dev.fleetrun.local.sfn.time.Signal;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The task tokens of an engine: issued to {@code .waitForTaskToken} tasks, completed by SendTaskSuccess or
 * SendTaskFailure, kept alive by SendTaskHeartbeat. A token stays known after its task ends, so that a late
 * answer is told {@code TaskTimedOut} (as AWS answers it) rather than {@code InvalidToken}.
 */
public final class TaskTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int TOKEN_BYTES = 48;
    private static final Pattern WELL_FORMED =
            Pattern.compile("AQ[A-Za-z0-9_-]{" + (TOKEN_BYTES * 4 / 3) + "}");

    private final EngineClock clock;
    private final Map<String, Pending> tokens = new ConcurrentHashMap<>();

    public TaskTokens(EngineClock clock) {
        this.clock = clock;
    }

    /** Issues a token for a task that will wait on it. */
    public Pending issue(String executionArn, String stateName) {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        String token = "AQ" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Pending pending = new Pending(token, executionArn, stateName, clock.newSignal(), clock.now());
        tokens.put(token, pending);
        return pending;
    }

    /**
     * Whether {@code token} has the form of the tokens this class issues, whoever issued it. The API tells a
     * malformed token ({@code InvalidToken}) from a well-formed one that no task waits on ({@code TaskDoesNotExist}).
     */
    public static boolean isWellFormed(String token) {
        return token != null && WELL_FORMED.matcher(token).matches();
    }

    /** SendTaskSuccess: completes the task with {@code output}. */
    public void succeed(String token, JsonNode output) {
        find(token).complete(output, null);
    }

    /** SendTaskFailure: fails the task with an error name and cause (either may be null). */
    public void fail(String token, String error, String cause) {
        find(token).complete(null, AslError.of(error == null || error.isEmpty() ? "States.TaskFailed" : error, cause));
    }

    /** SendTaskHeartbeat: the task is alive; its heartbeat timeout starts again. */
    public void heartbeat(String token) {
        Pending pending = find(token);
        synchronized (pending) {
            if (pending.done) {
                throw new TaskTokenException("TaskTimedOut", "the task of this token is no longer running");
            }
            pending.lastHeartbeat = clock.now();
        }
        pending.signal.fire();
    }

    private Pending find(String token) {
        if (token == null || token.isEmpty()) {
            throw new TaskTokenException("InvalidToken", "the task token is empty");
        }
        Pending pending = tokens.get(token);
        if (pending == null) {
            throw new TaskTokenException("InvalidToken", "this engine issued no such task token");
        }
        return pending;
    }

    /** A token being waited on, and what came back for it. */
    public static final class Pending {
        private final String token;
        private final String executionArn;
        private final String stateName;
        private final Signal signal;
        private Instant lastHeartbeat;
        private boolean done;
        private boolean answered;
        private JsonNode output;
        private AslError error;

        Pending(String token, String executionArn, String stateName, Signal signal, Instant issuedAt) {
            this.token = token;
            this.executionArn = executionArn;
            this.stateName = stateName;
            this.signal = signal;
            this.lastHeartbeat = issuedAt;
        }

        /** The token text. */
        public String token() {
            return token;
        }

        /** The execution that waits on it. */
        public String executionArn() {
            return executionArn;
        }

        /** The Task state that waits on it. */
        public String stateName() {
            return stateName;
        }

        /** Fired when an answer or a heartbeat arrives. */
        public Signal signal() {
            return signal;
        }

        /** When the last heartbeat (or the issue) was. */
        public synchronized Instant lastHeartbeat() {
            return lastHeartbeat;
        }

        /** Whether SendTaskSuccess or SendTaskFailure arrived. */
        public synchronized boolean answered() {
            return answered;
        }

        /** The output of SendTaskSuccess, or {@code null}. */
        public synchronized JsonNode output() {
            return output;
        }

        /** The error of SendTaskFailure, or {@code null}. */
        public synchronized AslError error() {
            return error;
        }

        /** The waiting task ended (answered, timed out or cancelled): later answers are refused. */
        public synchronized void close() {
            done = true;
        }

        void complete(JsonNode successOutput, AslError failure) {
            synchronized (this) {
                if (done || answered) {
                    throw new TaskTokenException("TaskTimedOut", "the task of this token is no longer running"
                            + " (it was answered, timed out, or its execution ended)");
                }
                answered = true;
                output = successOutput;
                error = failure;
            }
            signal.fire();
        }
    }
}
