package dev.fleetrun.local.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.faults.FaultQueue;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One AWS service behind an {@link AwsServer}: the operations it implements, the protocol it answers
 * in, one lock (calls are handled one at a time per service, whatever thread they arrive on) and
 * faults on demand ({@link #throttleNext}, {@link #failNext}) for tests and demos.
 *
 * <p>Subclasses implement {@link #handle} with one method per operation; any method a caller uses to
 * script or inspect the service should be {@code synchronized} on the same lock.
 */
public abstract class AwsService {
    private final String name;
    private final WireProtocol protocol;
    private final List<String> operations;
    private final Map<String, FaultQueue<AwsError>> faults = new HashMap<>();
    /** The clock every timestamp of this service comes from. */
    protected final Clock clock;

    protected AwsService(String name, WireProtocol protocol, List<String> operations, Clock clock) {
        this.name = name;
        this.protocol = protocol;
        this.operations = List.copyOf(operations);
        this.clock = clock;
    }

    /** The service's short name, as requests are recorded under ("ssm", "sfn", "events", ...). */
    public String name() {
        return name;
    }

    /** The operations implemented; every other one is answered with {@code UnknownOperationException}. */
    public List<String> operations() {
        return operations;
    }

    public WireProtocol protocol() {
        return protocol;
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

    /**
     * This service answering in another wire protocol: the same operations, state, lock and scripted faults, so
     * that one service is hosted under several protocols without a copy (CloudWatch: RPC v2 CBOR for the SDK,
     * AWS JSON 1.0 for the AWS CLI). {@link AwsServer#jsonService(String, AwsService, AwsJsonProtocol)} uses it.
     */
    public final AwsService speaking(WireProtocol other) {
        return other == protocol ? this : new InProtocol(this, other);
    }

    /** A service seen through another protocol: every call goes to the service itself. */
    private static final class InProtocol extends AwsService {
        private final AwsService service;

        InProtocol(AwsService service, WireProtocol protocol) {
            super(service.name, protocol, service.operations, service.clock);
            this.service = service;
        }

        @Override
        public JsonNode invoke(String operation, JsonNode input) {
            return service.invoke(operation, input);
        }

        @Override
        public void throttleNext(String operation, int times) {
            service.throttleNext(operation, times);
        }

        @Override
        public void failNext(String operation, int times, String errorCode, String message) {
            service.failNext(operation, times, errorCode, message);
        }

        @Override
        protected AwsError throttlingError() {
            return service.throttlingError();
        }

        @Override
        protected JsonNode handle(String operation, JsonNode input) {
            return service.invoke(operation, input);
        }
    }

    /** Answers one call: a scripted fault first, if any, else {@link #handle}. */
    public synchronized JsonNode invoke(String operation, JsonNode input) {
        if (!operations.contains(operation)) {
            throw AwsError.unknownOperation(name, operation, operations);
        }
        FaultQueue<AwsError> scripted = faults.get(operation);
        AwsError fault = scripted == null ? null : scripted.poll();
        if (fault != null) {
            throw fault;
        }
        return handle(operation, input);
    }

    /**
     * The request members as the server records them for its listeners ({@link AwsServer#onRequest}): a
     * service hides here what must not be kept, such as a secret's value. Default: as sent.
     */
    public JsonNode recordable(String operation, JsonNode input) {
        return input;
    }

    /** The error this service throttles with; AWS JSON services use {@code ThrottlingException}. */
    protected AwsError throttlingError() {
        return AwsError.of("ThrottlingException", "Rate exceeded");
    }

    /** Answers one call of an operation from {@link #operations()}; runs under this service's lock. */
    protected abstract JsonNode handle(String operation, JsonNode input);

    /** Now, at the millisecond precision AWS timestamps have. */
    protected Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private void failNext(String operation, int times, AwsError error) {
        if (!operations.contains(operation)) {
            throw new IllegalArgumentException(name + " has no operation '" + operation
                    + "' to fail; it implements " + String.join(", ", operations));
        }
        if (times < 0) {
            throw new IllegalArgumentException("times must be >= 0, was " + times);
        }
        faults.computeIfAbsent(operation, op -> new FaultQueue<>()).add(error, times);
    }
}
