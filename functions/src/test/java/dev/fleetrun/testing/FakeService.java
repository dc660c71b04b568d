package dev.fleetrun.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every service behind {@link FakeAws} shares: the operations it implements, the protocol it
 * answers in, one lock (calls are handled one at a time per service, whatever thread they arrive
 * on) and scripted faults ({@link #throttleNext}, {@link #failNext}).
 *
 * <p>Subclasses implement {@link #handle} with one method per operation; the scripting methods a
 * test calls are {@code synchronized} on the same lock.
 */
public abstract class FakeService {
    private final String name;
    private final WireProtocol protocol;
    private final List<String> operations;
    private final Map<String, Deque<AwsError>> faults = new HashMap<>();
    /** The clock every timestamp of this service comes from. */
    protected final Clock clock;

    FakeService(String name, WireProtocol protocol, List<String> operations, Clock clock) {
        this.name = name;
        this.protocol = protocol;
        this.operations = List.copyOf(operations);
        this.clock = clock;
    }

    /** The service's name, as used in the recorded requests ("ssm", "sfn", "events", "sns", "cloudwatch"). */
    public String name() {
        return name;
    }

    /** The operations this fake implements; every other one is answered with {@code UnknownOperationException}. */
    public List<String> operations() {
        return operations;
    }

    /**
     * Makes the next {@code times} calls of {@code operation} fail with this service's throttling
     * error ("Rate exceeded"), as AWS does under load. The SDK retries those by itself unless the
     * client's retry strategy says otherwise.
     */
    public synchronized void throttleNext(String operation, int times) {
        failNext(operation, times, throttlingError());
    }

    /** Makes the next {@code times} calls of {@code operation} fail with this error (HTTP 400). */
    public synchronized void failNext(String operation, int times, String errorCode, String message) {
        failNext(operation, times, AwsError.of(errorCode, message));
    }

    synchronized JsonNode invoke(String operation, JsonNode input) {
        if (!operations.contains(operation)) {
            throw AwsError.unknownOperation(name, operation, operations);
        }
        Deque<AwsError> scripted = faults.get(operation);
        if (scripted != null && !scripted.isEmpty()) {
            throw scripted.poll();
        }
        return handle(operation, input);
    }

    WireProtocol protocol() {
        return protocol;
    }

    /** The error this service throttles with; AWS JSON services use {@code ThrottlingException}. */
    AwsError throttlingError() {
        return AwsError.of("ThrottlingException", "Rate exceeded");
    }

    /** Answers one call of an operation from {@link #operations()}; runs under this service's lock. */
    abstract JsonNode handle(String operation, JsonNode input);

    /** Now, at the millisecond precision AWS timestamps have. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private void failNext(String operation, int times, AwsError error) {
        if (!operations.contains(operation)) {
            throw new IllegalArgumentException("FakeAws " + name + " has no operation '" + operation
                    + "' to fail; it implements " + String.join(", ", operations));
        }
        if (times < 0) {
            throw new IllegalArgumentException("times must be >= 0, was " + times);
        }
        Deque<AwsError> queue = faults.computeIfAbsent(operation, op -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(error);
        }
    }
}
