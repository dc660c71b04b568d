package dev.fleetrun.local.faults;

import dev.fleetrun.local.events.EventBus;
import dev.fleetrun.local.events.EventFaults;
import dev.fleetrun.local.events.EventSelector;
import dev.fleetrun.local.lambda.LambdaFault;
import dev.fleetrun.local.lambda.LambdaRegistry;
import dev.fleetrun.local.wire.AwsService;
import dev.fleetrun.local.wire.ForwardedService;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Faults on demand for the whole runtime, in one place: events on the bus (drop, repeat, delay, reorder, per
 * source and detail-type), AWS API calls (throttle, fail), Lambda invocations (fail). Tests call the methods;
 * {@code fleetrun} passes user text to {@link #apply(String)}.
 *
 * <pre>{@code
 * faults.dropEvents(new EventSelector("aws.ssm", "EC2 Command Invocation Status-change Notification"), 2);
 * faults.throttle("ssm", "SendCommand", 3);
 * faults.failLambda("StatusListener", 1, LambdaFault.serviceException());
 * faults.apply("delay-events:source=aws.ssm,delay=PT5M,times=every");
 * }</pre>
 */
public final class Faults {
    private final EventBus bus;
    private final LambdaRegistry lambdas;
    private final Map<String, AwsService> services = new TreeMap<>();
    private final Map<String, ForwardedService> forwarded = new TreeMap<>();
    private final List<String> apiFaults = new ArrayList<>();
    private final List<String> lambdaFaults = new ArrayList<>();

    public Faults(EventBus bus, LambdaRegistry lambdas) {
        this.bus = bus;
        this.lambdas = lambdas;
    }

    /** Makes an AWS service's API reachable by {@link #throttle} and {@link #failApi}, under its name ("ssm", "sns"...). */
    public Faults api(AwsService service) {
        services.put(service.name(), service);
        return this;
    }

    /** The same for a forwarded service (DynamoDB Local: "dynamodb"). */
    public Faults api(ForwardedService service) {
        forwarded.put(service.name(), service);
        return this;
    }

    // ---- events ----

    /** Drops the next {@code times} matching events (or every one, {@link EventFaults#EVERY}). */
    public Faults dropEvents(EventSelector selector, int times) {
        bus.faults().drop(selector, times);
        return this;
    }

    /** Delivers each of the next {@code times} matching events {@code copies} extra times. */
    public Faults repeatEvents(EventSelector selector, int times, int copies) {
        bus.faults().repeat(selector, times, copies);
        return this;
    }

    /** Delivers each of the next {@code times} matching events {@code delay} late (runtime time). */
    public Faults delayEvents(EventSelector selector, int times, Duration delay) {
        bus.faults().delay(selector, times, delay);
        return this;
    }

    /** Holds the next {@code count} matching events and delivers them in reverse order. */
    public Faults reorderEvents(EventSelector selector, int count) {
        bus.faults().reorder(selector, count);
        return this;
    }

    /** Delivers the events held for reordering now. */
    public void releaseHeldEvents() {
        bus.releaseHeldEvents();
    }

    // ---- APIs ----

    /** The next {@code times} calls of {@code service}'s {@code operation} are throttled. */
    public Faults throttle(String service, String operation, int times) {
        if (forwarded.containsKey(service)) {
            forwarded.get(service).throttleNext(operation, times);
        } else {
            service(service).throttleNext(operation, times);
        }
        apiFaults.add("throttle " + calls(times) + " " + service + " " + operation + " call(s)");
        return this;
    }

    /** The next {@code times} calls of {@code service}'s {@code operation} fail with {@code errorCode}. */
    public Faults failApi(String service, String operation, int times, String errorCode, String message) {
        if (forwarded.containsKey(service)) {
            forwarded.get(service).failNext(operation, times, errorCode, message);
        } else {
            service(service).failNext(operation, times, errorCode, message);
        }
        apiFaults.add("fail " + calls(times) + " " + service + " " + operation + " call(s) with " + errorCode);
        return this;
    }

    private static String calls(int times) {
        return times == FaultQueue.EVERY ? "every" : "the next " + times;
    }

    private AwsService service(String name) {
        AwsService service = services.get(name);
        if (service == null) {
            List<String> known = new ArrayList<>(services.keySet());
            known.addAll(forwarded.keySet());
            throw new IllegalArgumentException("no API named '" + name + "' takes faults; known: " + known.stream().sorted().toList());
        }
        return service;
    }

    // ---- Lambda ----

    /** The next {@code times} invocations of {@code function} fail with {@code fault}. */
    public Faults failLambda(String function, int times, LambdaFault fault) {
        lambdas.failNext(function, times, fault);
        lambdaFaults.add("fail " + calls(times) + " invocation(s) of " + function + " with " + fault.kind() + " "
                + fault.errorType());
        return this;
    }

    // ---- views ----

    /** The faults asked for, for people: events still pending first, then API and Lambda faults as asked. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        bus.faults().describe().forEach(line -> lines.add("events: " + line));
        apiFaults.forEach(line -> lines.add("api: " + line));
        lambdaFaults.forEach(line -> lines.add("lambda: " + line));
        return lines;
    }

    /** What the event faults did, one line per event. */
    public List<String> appliedToEvents() {
        return bus.faults().applied();
    }

    /** Forgets the pending event and Lambda faults (API faults already queued stay until used). */
    public void clear() {
        bus.faults().clear();
        lambdas.clearFaults();
        lambdaFaults.clear();
        apiFaults.clear();
    }

    // ---- text ----

    /** The forms {@link #apply(String)} understands, for help texts. */
    public static final List<String> SPEC_FORMS = List.of(
            "drop-events:[source=S,][detail-type=D,][times=N|every]",
            "repeat-events:[source=S,][detail-type=D,][times=N|every,][copies=N]",
            "delay-events:[source=S,][detail-type=D,]delay=PT5M|30s|5m,[times=N|every]",
            "reorder-events:[source=S,][detail-type=D,]count=N",
            "throttle:service=ssm,operation=SendCommand,[times=N|every]",
            "fail-api:service=ssm,operation=SendCommand,code=InternalServerError,[message=M,][times=N|every]",
            "fail-lambda:function=StatusListener,[kind=service|throttle|error|unhandled,][type=T,][message=M,][times=N|every]");

    /**
     * Applies a fault written as text: {@code kind:key=value,key=value} (see {@link #SPEC_FORMS}); {@code times}
     * defaults to 1.
     *
     * @throws IllegalArgumentException naming what is wrong and the forms understood
     */
    public Faults apply(String spec) {
        int colon = spec.indexOf(':');
        String kind = (colon < 0 ? spec : spec.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        Map<String, String> args = arguments(spec, colon < 0 ? "" : spec.substring(colon + 1));
        return switch (kind) {
            case "drop-events" -> {
                allow(spec, args, "source", "detail-type", "times");
                yield dropEvents(selector(args), times(spec, args));
            }
            case "repeat-events" -> {
                allow(spec, args, "source", "detail-type", "times", "copies");
                yield repeatEvents(selector(args), times(spec, args), number(spec, args, "copies", 1));
            }
            case "delay-events" -> {
                allow(spec, args, "source", "detail-type", "times", "delay");
                yield delayEvents(selector(args), times(spec, args), duration(spec, required(spec, args, "delay")));
            }
            case "reorder-events" -> {
                allow(spec, args, "source", "detail-type", "count");
                yield reorderEvents(selector(args), number(spec, args, "count", 2));
            }
            case "throttle" -> {
                allow(spec, args, "service", "operation", "times");
                yield throttle(required(spec, args, "service"), required(spec, args, "operation"), times(spec, args));
            }
            case "fail-api" -> {
                allow(spec, args, "service", "operation", "code", "message", "times");
                yield failApi(required(spec, args, "service"), required(spec, args, "operation"), times(spec, args),
                        required(spec, args, "code"), args.getOrDefault("message", "injected fault"));
            }
            case "fail-lambda" -> {
                allow(spec, args, "function", "kind", "type", "message", "times");
                yield failLambda(required(spec, args, "function"), times(spec, args), lambdaFault(spec, args));
            }
            default -> throw new IllegalArgumentException("'" + spec + "': unknown fault '" + kind + "'; write one of "
                    + SPEC_FORMS);
        };
    }

    private static Map<String, String> arguments(String spec, String text) {
        Map<String, String> args = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("'" + spec + "': '" + pair + "' is not key=value");
            }
            args.put(pair.substring(0, eq).trim().toLowerCase(Locale.ROOT), pair.substring(eq + 1).trim());
        }
        return args;
    }

    private static void allow(String spec, Map<String, String> args, String... keys) {
        Set<String> allowed = Set.of(keys);
        for (String key : args.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("'" + spec + "': unknown setting '" + key + "'; this fault takes "
                        + List.of(keys));
            }
        }
    }

    private static String required(String spec, Map<String, String> args, String key) {
        String value = args.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("'" + spec + "': '" + key + "=' is required");
        }
        return value;
    }

    private static EventSelector selector(Map<String, String> args) {
        return new EventSelector(args.get("source"), args.get("detail-type"));
    }

    private static int times(String spec, Map<String, String> args) {
        return "every".equalsIgnoreCase(args.get("times")) ? EventFaults.EVERY : number(spec, args, "times", 1);
    }

    private static int number(String spec, Map<String, String> args, String key, int fallback) {
        String value = args.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + spec + "': " + key + " must be a whole number >= 1, not '" + value + "'");
    }

    /** {@code PT5M}, or a number with s, m or h. */
    static Duration duration(String spec, String text) {
        try {
            if (text.matches("\\d+[smh]")) {
                long n = Long.parseLong(text.substring(0, text.length() - 1));
                return switch (text.charAt(text.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + spec + "': delay '" + text + "' is not a duration (30s, 5m, 1h, PT5M)");
        }
    }

    private static LambdaFault lambdaFault(String spec, Map<String, String> args) {
        String kind = args.getOrDefault("kind", "error");
        String message = args.getOrDefault("message", "injected fault");
        return switch (kind) {
            case "service" -> LambdaFault.serviceException();
            case "throttle" -> LambdaFault.tooManyRequests();
            case "unhandled" -> LambdaFault.unhandled();
            case "error" -> LambdaFault.functionError(args.getOrDefault("type", "java.lang.RuntimeException"), message);
            default -> throw new IllegalArgumentException("'" + spec + "': kind must be service, throttle, error or"
                    + " unhandled, not '" + kind + "'");
        };
    }
}
