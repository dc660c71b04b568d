package dev.fleetrun.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.faults.FaultQueue;
import dev.fleetrun.local.sfn.errors.AslError;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.sfn.task.LambdaFunctionError;
import dev.fleetrun.local.sfn.task.LambdaFunctions;
import dev.fleetrun.local.sfn.time.EngineClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The embedded runtime's Lambda service: functions by name (and by ARN
 * {@code arn:aws:lambda:<region>:<account>:function:<name>}), each a handler from JSON to JSON, invoked in
 * this process.
 *
 * <ul>
 *   <li>Synchronous invocation ({@link #invoke}) and, as {@link LambdaFunctions}, the engine's Lambda tasks:
 *       a function error becomes the task error named by its {@code errorType} (a Java exception's class name,
 *       as the Java runtime reports it), Lambda's own failures become {@code Lambda.ServiceException},
 *       {@code Lambda.TooManyRequestsException}, {@code Lambda.ResourceNotFoundException}, and a function that
 *       dies without an error type {@code Lambda.Unknown}.</li>
 *   <li>Asynchronous invocation ({@link #invokeAsync}), as EventBridge targets are invoked: function errors are
 *       retried twice (after 1 and 2 minutes of runtime time), throttles and service errors with back-off, and
 *       an event Lambda gives up on is kept in {@link #deadLetters()}.</li>
 *   <li>Faults on demand: {@link #failNext} fails the next attempts of a function.</li>
 *   <li>Records: {@link #invocationCount}, {@link #invocations()}.</li>
 * </ul>
 *
 * Waiting between retries goes through the runtime's {@link EngineClock}, so a {@code VirtualClock} makes
 * them instant and repeatable in tests. Thread-safe; handlers may run concurrently, as in Lambda.
 */
public final class LambdaRegistry implements LambdaFunctions, AutoCloseable {
    /** Lambda's function name rule. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    /** How many invocation records are kept (the counts are kept for ever). */
    static final int RECORDS_KEPT = 10_000;

    private final EngineClock clock;
    private final String region;
    private final String accountId;
    private final Map<String, LambdaFunctions.Function> functions = new ConcurrentHashMap<>();
    private final Map<String, AsyncInvokeConfig> asyncConfigs = new ConcurrentHashMap<>();
    private final Map<String, FaultQueue<LambdaFault>> faults = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Deque<Invocation> records = new ArrayDeque<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final List<Consumer<DeadLetter>> deadLetterListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger asyncInFlight = new AtomicInteger();
    private final Map<String, ExecutionEnvironments> environments = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** A registry in us-east-1, account 123456789012 (the runtime's defaults). */
    public LambdaRegistry(EngineClock clock) {
        this(clock, "us-east-1", "123456789012");
    }

    public LambdaRegistry(EngineClock clock, String region, String accountId) {
        this.clock = clock;
        this.region = region;
        this.accountId = accountId;
    }

    /**
     * Registers a function under {@code name} and returns its ARN. The handler gets the event and returns the
     * response; to report an error with a chosen type it throws {@link LambdaFunctionError}, and any other
     * exception reports its class name, as the Java runtime does.
     *
     * @throws IllegalArgumentException when the name breaks Lambda's rule or is taken
     */
    public String register(String name, LambdaFunctions.Function handler) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a Lambda function name: use 1 to 64 letters,"
                    + " digits, '-' or '_'");
        }
        if (functions.putIfAbsent(name, handler) != null) {
            throw new IllegalArgumentException("a function named '" + name + "' is registered already");
        }
        counts.putIfAbsent(name, new AtomicInteger());
        return arn(name);
    }

    /** Sets how the function's asynchronous events are retried (default {@link AsyncInvokeConfig#DEFAULT}). */
    public void configureAsync(String nameOrArn, AsyncInvokeConfig config) {
        asyncConfigs.put(require(nameOrArn), config);
    }

    /**
     * Gives the function's asynchronous events at most {@code environments} execution environments, reused
     * from one event to the next (Lambda's reserved concurrency, and its warm environments): events beyond
     * that wait in the function's queue until one is free, as Lambda keeps throttled asynchronous events.
     * Without it, every event runs at once on a thread of its own. Synchronous calls are not limited.
     */
    public void reserveConcurrency(String nameOrArn, int environments) {
        String name = require(nameOrArn);
        ExecutionEnvironments replaced = this.environments.put(name, new ExecutionEnvironments(name, environments));
        if (replaced != null) {
            replaced.retire(); // its queued events still run there
        }
    }

    /**
     * Stops the functions' execution environments: asynchronous events still queued for one, or waiting to be
     * retried, are dropped (the runtime behind them is going away), running ones interrupted. Synchronous calls
     * are not affected.
     */
    @Override
    public void close() {
        closed = true;
        environments.values().forEach(ExecutionEnvironments::stop);
        environments.clear();
    }

    /** The ARN of function {@code name}: {@code arn:aws:lambda:us-east-1:123456789012:function:<name>}. */
    public String arn(String name) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
    }

    /** The registered function names, sorted. */
    public List<String> names() {
        return functions.keySet().stream().sorted().toList();
    }

    /** Whether a function of this name or ARN is registered. */
    public boolean exists(String nameOrArn) {
        return functions.containsKey(nameOf(nameOrArn));
    }

    /**
     * The function name in a name, a partial ARN ({@code 123456789012:function:name}) or a full ARN, without
     * its version or alias qualifier.
     */
    public static String nameOf(String nameOrArn) {
        int at = nameOrArn.indexOf("function:");
        String rest = at >= 0 ? nameOrArn.substring(at + "function:".length()) : nameOrArn;
        int colon = rest.indexOf(':');
        return colon >= 0 ? rest.substring(0, colon) : rest;
    }

    // ---- faults ----

    /** Makes the next {@code times} attempts of the function fail with {@code fault} (sync and async alike). */
    public void failNext(String nameOrArn, int times, LambdaFault fault) {
        if (times < 0) {
            throw new IllegalArgumentException("times must be >= 0, was " + times);
        }
        faults.computeIfAbsent(require(nameOrArn), n -> new FaultQueue<>()).add(fault, times);
    }

    /** Forgets the faults not yet used, of every function. */
    public void clearFaults() {
        faults.clear();
    }

    /** The faults waiting for the function's next attempts, in order. */
    public List<LambdaFault> pendingFaults(String nameOrArn) {
        FaultQueue<LambdaFault> queue = faults.get(nameOf(nameOrArn));
        return queue == null ? List.of() : queue.pending();
    }

    private LambdaFault nextFault(String name) {
        FaultQueue<LambdaFault> queue = faults.get(name);
        return queue == null ? null : queue.poll();
    }

    // ---- invocation ----

    /**
     * Invokes the function and waits for it ({@code RequestResponse}). A function error is answered, not
     * thrown, as Lambda's Invoke does ({@link InvokeResult#failed()}).
     *
     * @throws LambdaServiceException when Lambda refuses the call: no such function, or an injected service fault
     */
    public InvokeResult invoke(String nameOrArn, JsonNode payload) {
        String name = nameOf(nameOrArn);
        return attempt(name, requireFunction(nameOrArn), newRequestId(), Invocation.Type.SYNC, 1, payload);
    }

    /**
     * Queues an event for the function ({@code Event} invocation) and returns its request id at once; the
     * function runs on a runtime thread, with Lambda's retries.
     *
     * @throws LambdaServiceException {@code ResourceNotFoundException} when there is no such function
     */
    public String invokeAsync(String nameOrArn, JsonNode payload) {
        String name = nameOf(nameOrArn);
        LambdaFunctions.Function function = requireFunction(nameOrArn);
        String requestId = newRequestId();
        asyncInFlight.incrementAndGet();
        clock.start("lambda-async-" + name + "-" + requestId, () -> {
            try {
                runAsync(name, function, requestId, payload);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (CancellationException e) {
                // the registry was closed while the event waited for an environment: it goes with the runtime
            } finally {
                asyncInFlight.decrementAndGet();
            }
        });
        return requestId;
    }

    /** How many asynchronous events are queued or running (with their retries). */
    public int asyncInFlight() {
        return asyncInFlight.get();
    }

    private void runAsync(String name, LambdaFunctions.Function function, String requestId, JsonNode payload)
            throws InterruptedException {
        AsyncInvokeConfig config = asyncConfigs.getOrDefault(name, AsyncInvokeConfig.DEFAULT);
        Instant first = clock.now();
        Instant deadline = first.plus(config.maxEventAge());
        int attempts = 0;
        int functionErrors = 0;
        int serviceErrors = 0;
        while (true) {
            attempts++;
            InvokeResult result;
            try {
                result = asyncAttempt(name, function, requestId, attempts, payload);
            } catch (LambdaServiceException e) {
                serviceErrors++;
                Duration delay = AsyncInvokeConfig.serviceErrorDelay(serviceErrors);
                if (!clock.now().plus(delay).isBefore(deadline)) {
                    deadLetter(new DeadLetter(name, requestId, payload, e.code(), e.getMessage(), attempts, first,
                            clock.now(), "EventAgeExceeded"));
                    return;
                }
                clock.sleep(delay);
                continue;
            }
            if (!result.failed() || closed) {
                return; // done, or the registry closed under it (its handler interrupted): nothing to retry
            }
            functionErrors++;
            if (functionErrors > config.retryAttempts()) {
                deadLetter(new DeadLetter(name, requestId, payload, result.errorType(), result.errorMessage(), attempts,
                        first, clock.now(), "RetriesExhausted"));
                return;
            }
            Duration delay = config.functionErrorDelay(functionErrors);
            if (!clock.now().plus(delay).isBefore(deadline)) {
                deadLetter(new DeadLetter(name, requestId, payload, result.errorType(), result.errorMessage(), attempts,
                        first, clock.now(), "EventAgeExceeded"));
                return;
            }
            clock.sleep(delay);
        }
    }

    /** One attempt of an asynchronous event, in one of the function's environments if it has them reserved. */
    private InvokeResult asyncAttempt(String name, LambdaFunctions.Function function, String requestId, int attempt,
                                      JsonNode payload) throws InterruptedException {
        while (true) {
            if (closed) {
                throw new CancellationException("the Lambda registry is closed: event " + requestId + " is dropped");
            }
            ExecutionEnvironments reserved = environments.get(name);
            if (reserved == null) {
                return attempt(name, function, requestId, Invocation.Type.ASYNC, attempt, payload);
            }
            try {
                return reserved.run(() -> attempt(name, function, requestId, Invocation.Type.ASYNC, attempt, payload));
            } catch (RejectedExecutionException e) {
                // Those environments were retired (a new reservation) or stopped (closed) since: look again.
            }
        }
    }

    /** One attempt: an injected fault, or the handler; recorded either way. */
    private InvokeResult attempt(String name, LambdaFunctions.Function function, String requestId,
                                 Invocation.Type type, int attempt, JsonNode payload) {
        Instant at = clock.now();
        LambdaFault fault = nextFault(name);
        if (fault != null && fault.isServiceError()) {
            record(new Invocation(name, requestId, type, attempt, at, payload, fault.errorType()));
            throw new LambdaServiceException(fault.errorType(), fault.httpStatus(), fault.message());
        }
        InvokeResult result;
        if (fault != null && fault.kind() == LambdaFault.Kind.UNHANDLED) {
            result = new InvokeResult(requestId, errorObject("Lambda.Unknown", fault.message()), "Unhandled");
        } else if (fault != null) {
            result = new InvokeResult(requestId, errorObject(fault.errorType(), fault.message()), "Unhandled");
        } else {
            result = run(function, requestId, payload);
        }
        record(new Invocation(name, requestId, type, attempt, at, payload, result.errorType()));
        return result;
    }

    private static InvokeResult run(LambdaFunctions.Function function, String requestId, JsonNode payload) {
        try {
            JsonNode response = function.handle(payload);
            return new InvokeResult(requestId, response == null ? NullNode.instance : response, null);
        } catch (LambdaFunctionError e) {
            return new InvokeResult(requestId, errorObject(e.errorType(), e.getMessage()), "Unhandled");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new InvokeResult(requestId, errorObject(e.getClass().getName(), "interrupted"), "Unhandled");
        } catch (Exception | StackOverflowError e) {
            return new InvokeResult(requestId, errorObject(e.getClass().getName(), e.getMessage()), "Unhandled");
        }
    }

    /** The error object Lambda's Java runtime reports: {@code {"errorMessage", "errorType", "stackTrace"}}. */
    static ObjectNode errorObject(String errorType, String message) {
        ObjectNode error = Json.object();
        error.put("errorMessage", message == null ? "" : message);
        error.put("errorType", errorType);
        error.putArray("stackTrace");
        return error;
    }

    // ---- the engine's view ----

    /**
     * The function as the Step Functions engine calls it: its errors become the task errors Step Functions
     * reports (see the class comment).
     */
    @Override
    public Optional<LambdaFunctions.Function> find(String functionName) {
        String name = nameOf(functionName);
        LambdaFunctions.Function function = functions.get(name);
        if (function == null) {
            return Optional.empty();
        }
        return Optional.of(payload -> {
            InvokeResult result;
            try {
                result = attempt(name, function, newRequestId(), Invocation.Type.SYNC, 1, payload);
            } catch (LambdaServiceException e) {
                throw AslError.of("Lambda." + e.code(), e.getMessage() + " (Service: AWSLambda; Status Code: "
                        + e.httpStatus() + "; Error Code: " + e.code() + "; Request ID: " + newRequestId() + "; Proxy: null)");
            }
            if (!result.failed()) {
                return result.payload();
            }
            if ("Lambda.Unknown".equals(result.errorType())) {
                throw AslError.of("Lambda.Unknown", "The cause could not be determined because Lambda did not return an"
                        + " error type. Returned payload: " + Json.text(result.payload()));
            }
            throw new LambdaFunctionError(result.errorType(), result.errorMessage());
        });
    }

    // ---- records ----

    private void record(Invocation invocation) {
        counts.computeIfAbsent(invocation.function(), n -> new AtomicInteger()).incrementAndGet();
        synchronized (records) {
            records.addLast(invocation);
            if (records.size() > RECORDS_KEPT) {
                records.removeFirst();
            }
        }
    }

    /** How many times the function was tried (every attempt, sync and async, failed ones included). */
    public int invocationCount(String nameOrArn) {
        AtomicInteger count = counts.get(nameOf(nameOrArn));
        return count == null ? 0 : count.get();
    }

    /** Attempts per function, by name. */
    public Map<String, Integer> invocationCounts() {
        Map<String, Integer> all = new TreeMap<>();
        counts.forEach((name, count) -> all.put(name, count.get()));
        return all;
    }

    /** The most recent attempts (up to 10,000), oldest first. */
    public List<Invocation> invocations() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    /** The most recent attempts of one function, oldest first. */
    public List<Invocation> invocations(String nameOrArn) {
        String name = nameOf(nameOrArn);
        return invocations().stream().filter(i -> i.function().equals(name)).toList();
    }

    /** The asynchronous events Lambda gave up on, in order. */
    public List<DeadLetter> deadLetters() {
        synchronized (deadLetters) {
            return List.copyOf(deadLetters);
        }
    }

    /** Calls {@code listener} with every event Lambda gives up on (to print it, say). */
    public void onDeadLetter(Consumer<DeadLetter> listener) {
        deadLetterListeners.add(listener);
    }

    private void deadLetter(DeadLetter letter) {
        synchronized (deadLetters) {
            deadLetters.add(letter);
        }
        deadLetterListeners.forEach(l -> l.accept(letter));
    }

    // ---- helpers ----

    private String require(String nameOrArn) {
        String name = nameOf(nameOrArn);
        if (!functions.containsKey(name)) {
            throw new IllegalArgumentException("no function named '" + name + "' is registered; registered: " + names());
        }
        return name;
    }

    private LambdaFunctions.Function requireFunction(String nameOrArn) {
        LambdaFunctions.Function function = functions.get(nameOf(nameOrArn));
        if (function == null) {
            throw new LambdaServiceException("ResourceNotFoundException", 404, "Function not found: "
                    + (nameOrArn.startsWith("arn:") ? nameOrArn : arn(nameOrArn))
                    + ". The embedded runtime has " + (functions.isEmpty() ? "no functions" : "functions " + names()) + ".");
        }
        return function;
    }

    private static String newRequestId() {
        return UUID.randomUUID().toString();
    }

    @Override
    public String toString() {
        return "LambdaRegistry" + names();
    }
}
