package dev.fleetrun.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.sfn.time.EngineClock;
import dev.fleetrun.local.sfn.time.Signal;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.WireTree;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import software.amazon.event.ruler.GenericMachine;
import software.amazon.event.ruler.RuleCompiler;

/**
 * The embedded runtime's EventBridge: the {@code default} event bus, its rules and their targets.
 *
 * <ul>
 *   <li>Events come in through {@link #putEvents} (PutEvents: EventBridge assigns id, time, account and region)
 *       and {@link #publish} (the simulated AWS services: SSM status changes, alarm state changes).</li>
 *   <li>Rules with an event pattern are matched by AWS's own matcher (event-ruler, with EventBridge's
 *       array-consistent semantics); rules with a schedule ({@code rate(...)}, {@code cron(...)}) fire a
 *       {@code Scheduled Event} to their targets on the runtime clock.</li>
 *   <li>Each matched target gets its input (the event, {@code Input}, {@code InputPath} or
 *       {@code InputTransformer}) through the {@link TargetHandlers}, on a runtime thread; a refusal is retried
 *       under the target's retry policy, with back-off, and a delivery that fails for good is kept in
 *       {@link #deadLetters()}.</li>
 *   <li>{@link #faults()} drops, repeats, delays or reorders events on demand.</li>
 * </ul>
 *
 * Errors are {@link AwsError}s with EventBridge's codes and messages, so {@link EventBridgeService} passes them
 * on as they are. Times come from the runtime's {@link EngineClock}: with a {@code VirtualClock}, a test that
 * uses scheduled rules holds the clock and moves it by hand, since a schedule always has a next deadline.
 */
public final class EventBus implements AutoCloseable {
    /** The one bus there is. */
    public static final String DEFAULT_BUS = "default";
    /** EventBridge allows 5 targets per rule. */
    static final int MAX_TARGETS_PER_RULE = 5;
    /** How many events and deliveries are kept for inspection. */
    static final int RECORDS_KEPT = 10_000;
    private static final String NAME_PATTERN = "[\\.\\-_A-Za-z0-9]+";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EngineClock clock;
    private final String region;
    private final String accountId;
    private final TargetHandlers targetHandlers;
    private final EventFaults faults = new EventFaults();

    private final Object lock = new Object();
    private final Map<String, RuleState> rules = new TreeMap<>();
    private final GenericMachine<String> machine = new GenericMachine<>();

    private final Deque<JsonNode> events = new ArrayDeque<>();
    private final Deque<Delivery> deliveries = new ArrayDeque<>();
    private final List<Delivery> deadLetters = new ArrayList<>();
    private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private boolean closed;

    /** A rule and its running schedule. */
    private static final class RuleState {
        Rule rule;
        ScheduleExpression schedule;
        Signal cancelSchedule;
    }

    /** A bus in us-east-1, account 123456789012 (the runtime's defaults). */
    public EventBus(EngineClock clock, TargetHandlers targetHandlers) {
        this(clock, targetHandlers, "us-east-1", "123456789012");
    }

    public EventBus(EngineClock clock, TargetHandlers targetHandlers, String region, String accountId) {
        this.clock = clock;
        this.targetHandlers = targetHandlers;
        this.region = region;
        this.accountId = accountId;
    }

    /** {@code arn:aws:events:us-east-1:123456789012:event-bus/default}. */
    public String busArn() {
        return "arn:aws:events:" + region + ":" + accountId + ":event-bus/" + DEFAULT_BUS;
    }

    /** {@code arn:aws:events:us-east-1:123456789012:rule/<name>}. */
    public String ruleArn(String name) {
        return "arn:aws:events:" + region + ":" + accountId + ":rule/" + name;
    }

    /** The faults on demand of this bus. */
    public EventFaults faults() {
        return faults;
    }

    // ---- rules ----

    /**
     * Creates or updates a rule (PutRule); an update keeps the rule's targets. Returns the rule's ARN.
     *
     * @param eventPattern       JSON text, or null
     * @param scheduleExpression {@code rate(...)} or {@code cron(...)}, or null (one of the two is required)
     * @param eventBusName       null, {@code default} or its ARN
     */
    public String putRule(String name, String eventPattern, String scheduleExpression, boolean enabled,
                          String description, String roleArn, String eventBusName) {
        checkBus(eventBusName);
        checkName("name", name);
        if (eventPattern == null && scheduleExpression == null) {
            throw AwsError.of("ValidationException", "Parameter(s) EventPattern or ScheduleExpression must be specified.");
        }
        if (eventPattern != null) {
            checkPattern(eventPattern);
        }
        ScheduleExpression schedule = null;
        if (scheduleExpression != null) {
            try {
                schedule = ScheduleExpression.parse(scheduleExpression);
            } catch (IllegalArgumentException e) {
                throw AwsError.of("ValidationException", "Parameter ScheduleExpression is not valid. " + e.getMessage());
            }
        }
        synchronized (lock) {
            RuleState state = rules.get(name);
            List<Target> targets = List.of();
            if (state != null) {
                targets = state.rule.targets();
                unregister(state);
            } else {
                state = new RuleState();
                rules.put(name, state);
            }
            state.rule = new Rule(name, ruleArn(name), eventPattern, scheduleExpression, enabled, description, roleArn,
                    DEFAULT_BUS, targets);
            state.schedule = schedule;
            register(state);
            return state.rule.arn();
        }
    }

    /** A rule that matches events (PutRule with an EventPattern, enabled, no description). */
    public String putRule(String name, String eventPattern) {
        return putRule(name, eventPattern, null, true, null, null, null);
    }

    /** A rule that fires on a schedule, enabled. */
    public String putScheduledRule(String name, String scheduleExpression) {
        return putRule(name, null, scheduleExpression, true, null, null, null);
    }

    /** DescribeRule. */
    public Rule describeRule(String name, String eventBusName) {
        checkBus(eventBusName);
        synchronized (lock) {
            return require(name).rule;
        }
    }

    /** The rule of this name, if any. */
    public Optional<Rule> rule(String name) {
        synchronized (lock) {
            RuleState state = rules.get(name);
            return state == null ? Optional.empty() : Optional.of(state.rule);
        }
    }

    /** Every rule, by name. */
    public List<Rule> rules() {
        synchronized (lock) {
            return rules.values().stream().map(s -> s.rule).toList();
        }
    }

    /** ListRules: the rules whose name starts with {@code namePrefix} (null: all), by name. */
    public List<Rule> listRules(String namePrefix, String eventBusName) {
        checkBus(eventBusName);
        return rules().stream().filter(r -> namePrefix == null || r.name().startsWith(namePrefix)).toList();
    }

    /** DeleteRule; a rule with targets is only deleted with {@code force}. Deleting no rule is not an error. */
    public void deleteRule(String name, boolean force, String eventBusName) {
        checkBus(eventBusName);
        synchronized (lock) {
            RuleState state = rules.get(name);
            if (state == null) {
                return;
            }
            if (!state.rule.targets().isEmpty() && !force) {
                throw AwsError.of("ValidationException", "Rule can't be deleted since it has targets.");
            }
            unregister(state);
            rules.remove(name);
        }
    }

    /** EnableRule / DisableRule. A re-enabled rate schedule counts its periods from now. */
    public void setEnabled(String name, boolean enabled, String eventBusName) {
        checkBus(eventBusName);
        synchronized (lock) {
            RuleState state = require(name);
            if (state.rule.enabled() == enabled) {
                return;
            }
            unregister(state);
            Rule r = state.rule;
            state.rule = new Rule(r.name(), r.arn(), r.eventPattern(), r.scheduleExpression(), enabled, r.description(),
                    r.roleArn(), r.eventBusName(), r.targets());
            register(state);
        }
    }

    // ---- targets ----

    /** A target PutTargets could not set, with EventBridge's error code. */
    public record TargetFailure(String targetId, String errorCode, String errorMessage) {
    }

    /**
     * PutTargets: adds the targets to the rule, replacing those with the same id. A target whose ARN this runtime
     * cannot deliver to is refused on its own ({@code NotImplementedLocally}); the others are set.
     */
    public List<TargetFailure> putTargets(String ruleName, List<Target> targets, String eventBusName) {
        checkBus(eventBusName);
        for (Target target : targets) {
            checkName("targets.member.id", target.id());
            int kinds = (target.input() != null ? 1 : 0) + (target.inputPath() != null ? 1 : 0)
                    + (target.inputTransformer() != null ? 1 : 0);
            if (kinds > 1) {
                throw AwsError.of("ValidationException", "Target " + target.id()
                        + ": only one of Input, InputPath and InputTransformer may be set.");
            }
            if (target.input() != null && WireTree.parseJsonText(target.input()) == null) {
                throw AwsError.of("ValidationException", "Target " + target.id() + ": Input is not valid JSON.");
            }
            if (target.inputTransformer() != null && target.inputTransformer().inputTemplate() == null) {
                throw AwsError.validation("targets.member.inputTransformer.inputTemplate", null, "Member must not be null");
            }
        }
        synchronized (lock) {
            RuleState state = require(ruleName);
            Map<String, Target> byId = new LinkedHashMap<>();
            state.rule.targets().forEach(t -> byId.put(t.id(), t));
            List<TargetFailure> failures = new ArrayList<>();
            for (Target target : targets) {
                if (targetHandlers.find(target.arn()).isEmpty()) {
                    failures.add(new TargetFailure(target.id(), AwsError.NOT_IMPLEMENTED, "this runtime delivers events"
                            + " to " + String.join(" and ", targetHandlers.describe()) + ", not to " + target.arn()));
                } else {
                    byId.put(target.id(), target);
                }
            }
            if (byId.size() > MAX_TARGETS_PER_RULE) {
                throw AwsError.of("LimitExceededException", "The requested resource exceeds the maximum number allowed."
                        + " A rule has at most " + MAX_TARGETS_PER_RULE + " targets.");
            }
            state.rule = withTargets(state.rule, List.copyOf(byId.values()));
            return failures;
        }
    }

    /** RemoveTargets: ids the rule does not have are ignored. */
    public void removeTargets(String ruleName, List<String> ids, String eventBusName) {
        checkBus(eventBusName);
        synchronized (lock) {
            RuleState state = require(ruleName);
            state.rule = withTargets(state.rule, state.rule.targets().stream().filter(t -> !ids.contains(t.id())).toList());
        }
    }

    /** ListTargetsByRule. */
    public List<Target> listTargetsByRule(String ruleName, String eventBusName) {
        return describeRule(ruleName, eventBusName).targets();
    }

    // ---- events in ----

    /**
     * PutEvents: 1 to 10 entries; each is accepted (and routed) or refused on its own, as EventBridge does.
     */
    public List<EntryResult> putEvents(List<EventEntry> entries) {
        if (entries.isEmpty() || entries.size() > 10) {
            throw AwsError.validation("entries", entries.size() + " entries",
                    "Member must have length less than or equal to 10 and greater than or equal to 1");
        }
        List<EntryResult> results = new ArrayList<>();
        for (EventEntry entry : entries) {
            results.add(accept(entry));
        }
        return results;
    }

    private EntryResult accept(EventEntry entry) {
        for (String[] field : new String[][] {{"Source", entry.source()}, {"DetailType", entry.detailType()},
                {"Detail", entry.detail()}}) {
            if (field[1] == null || field[1].isEmpty()) {
                return EntryResult.refused("InvalidArgument", "Parameter " + field[0] + " is not valid. Reason: "
                        + field[0] + " is a required argument.");
            }
        }
        if (entry.eventBusName() != null && !isDefaultBus(entry.eventBusName())) {
            return EntryResult.refused("ResourceNotFoundException", "Event bus " + entry.eventBusName()
                    + " does not exist.");
        }
        if (entry.source().startsWith("aws.")) {
            return EntryResult.refused("NotAuthorizedForSourceException", "Not authorized for the source.");
        }
        JsonNode detail = WireTree.parseJsonText(entry.detail());
        if (detail == null || !detail.isObject()) {
            return EntryResult.refused("MalformedDetail", "Detail is malformed.");
        }
        ObjectNode event = envelope(entry.source(), entry.detailType(), entry.resources(),
                entry.time() == null ? clock.now() : entry.time(), detail);
        route(event, null);
        return EntryResult.accepted(event.path("id").asText());
    }

    /**
     * Puts an event from a simulated AWS service (SSM, CloudWatch) on the bus, as the service itself would:
     * {@code source} and {@code detail-type} are required; {@code version}, {@code id}, {@code time},
     * {@code account}, {@code region}, {@code resources} and {@code detail} are filled in when absent.
     * Returns the event's id. This is the {@code Consumer<JsonNode>} the simulated services emit into.
     */
    public String publish(JsonNode event) {
        if (event == null || !event.isObject() || !event.path("source").isTextual() || !event.path("detail-type").isTextual()) {
            throw new IllegalArgumentException("an event needs a 'source' and a 'detail-type' (text): " + event);
        }
        ObjectNode filled = JSON.createObjectNode();
        filled.put("version", event.path("version").asText("0"));
        filled.put("id", event.hasNonNull("id") ? event.get("id").asText() : UUID.randomUUID().toString());
        filled.set("detail-type", event.get("detail-type"));
        filled.set("source", event.get("source"));
        filled.put("account", event.hasNonNull("account") ? event.get("account").asText() : accountId);
        filled.put("time", event.hasNonNull("time") ? event.get("time").asText() : format(clock.now()));
        filled.put("region", event.hasNonNull("region") ? event.get("region").asText() : region);
        filled.set("resources", event.has("resources") ? event.get("resources") : JSON.createArrayNode());
        filled.set("detail", event.has("detail") ? event.get("detail") : JSON.createObjectNode());
        event.properties().forEach(field -> {
            if (!filled.has(field.getKey())) {
                filled.set(field.getKey(), field.getValue());
            }
        });
        route(filled, null);
        return filled.get("id").asText();
    }

    private ObjectNode envelope(String source, String detailType, List<String> resources, Instant time, JsonNode detail) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", detailType);
        event.put("source", source);
        event.put("account", accountId);
        event.put("time", format(time));
        event.put("region", region);
        var resourceArns = event.putArray("resources");
        resources.forEach(resourceArns::add);
        event.set("detail", detail);
        return event;
    }

    /** EventBridge's event time: UTC, to the second ({@code 2024-05-14T10:02:51Z}). */
    static String format(Instant time) {
        return time.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Calls {@code listener} with every event the bus accepts (before faults), e.g. to show fleetrun's own events. */
    public void onEvent(Consumer<JsonNode> listener) {
        listeners.add(listener);
    }

    /** TestEventPattern: whether {@code pattern} matches {@code event}, by event-ruler. */
    public static boolean matches(String pattern, JsonNode event) {
        checkPattern(pattern);
        GenericMachine<String> single = new GenericMachine<>();
        try {
            single.addRule("test", pattern);
        } catch (IOException e) {
            throw invalidPattern(e.getMessage());
        }
        return !single.rulesForJSONEvent(event).isEmpty();
    }

    /** Refuses a pattern event-ruler cannot compile, with EventBridge's {@code InvalidEventPatternException}. */
    public static void checkPattern(String pattern) {
        String problem = RuleCompiler.check(pattern);
        if (problem != null) {
            throw invalidPattern(problem);
        }
    }

    private static AwsError invalidPattern(String reason) {
        return AwsError.of("InvalidEventPatternException", "Event pattern is not valid. Reason: " + reason);
    }

    // ---- routing ----

    private void route(JsonNode event, String onlyRule) {
        record(events, event);
        listeners.forEach(l -> l.accept(event));
        for (EventFaults.Routing routing : faults.apply(event)) {
            schedule(routing, onlyRule);
        }
    }

    private void schedule(EventFaults.Routing routing, String onlyRule) {
        if (routing.delay().isZero()) {
            dispatch(routing.event(), onlyRule);
            return;
        }
        inFlight.incrementAndGet();
        clock.start("events-delay-" + routing.event().path("id").asText(), () -> {
            try {
                clock.sleep(routing.delay());
                dispatch(routing.event(), onlyRule);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
        });
    }

    /** Routes the events held back for reordering now, in reverse order. */
    public void releaseHeldEvents() {
        faults.releaseHeld().forEach(routing -> schedule(routing, null));
    }

    /** Matches the event against the rules (or takes the one scheduled rule) and delivers it to their targets. */
    private void dispatch(JsonNode event, String onlyRule) {
        List<Rule> matched = new ArrayList<>();
        synchronized (lock) {
            if (onlyRule != null) {
                RuleState state = rules.get(onlyRule);
                if (state != null && state.rule.enabled()) {
                    matched.add(state.rule);
                }
            } else {
                for (String name : machine.rulesForJSONEvent(event)) {
                    RuleState state = rules.get(name);
                    if (state != null && state.rule.enabled() && state.rule.eventPattern() != null) {
                        matched.add(state.rule);
                    }
                }
            }
        }
        Instant ingestion = clock.now();
        for (Rule rule : matched) {
            for (Target target : rule.targets()) {
                deliver(rule, target, event, ingestion);
            }
        }
    }

    private void deliver(Rule rule, Target target, JsonNode event, Instant ingestion) {
        String eventId = event.path("id").asText();
        JsonNode input;
        try {
            input = TargetInput.of(target, event, rule.name(), rule.arn(), ingestion);
        } catch (TargetInput.InputException e) {
            fail(new Delivery(clock.now(), rule.name(), target.id(), target.arn(), eventId, null, 1, e.getMessage()));
            return;
        }
        Optional<TargetHandlers.Handler> handler = targetHandlers.find(target.arn());
        if (handler.isEmpty()) {
            fail(new Delivery(clock.now(), rule.name(), target.id(), target.arn(), eventId, input, 1,
                    "no handler delivers to " + target.arn() + "; this runtime delivers to " + targetHandlers.describe()));
            return;
        }
        inFlight.incrementAndGet();
        clock.start("events-" + rule.name() + "-" + target.id() + "-" + eventId, () -> {
            try {
                deliverWithRetries(rule, target, eventId, input, handler.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
        });
    }

    private void deliverWithRetries(Rule rule, Target target, String eventId, JsonNode input,
                                    TargetHandlers.Handler handler) throws InterruptedException {
        Instant first = clock.now();
        Instant expires = first.plusSeconds(target.retryPolicy().maximumEventAgeInSeconds());
        for (int attempt = 1; ; attempt++) {
            String error;
            boolean retriable;
            try {
                handler.deliver(target.arn(), input);
                record(deliveries, new Delivery(clock.now(), rule.name(), target.id(), target.arn(), eventId, input,
                        attempt, null));
                return;
            } catch (TargetDeliveryException e) {
                error = e.getMessage();
                retriable = e.retriable();
            } catch (RuntimeException e) {
                error = "the target handler failed: " + e;
                retriable = false;
            }
            Delivery failed = new Delivery(clock.now(), rule.name(), target.id(), target.arn(), eventId, input, attempt,
                    error);
            Duration delay = backoff(attempt);
            if (!retriable || attempt > target.retryPolicy().maximumRetryAttempts()
                    || clock.now().plus(delay).isAfter(expires)) {
                fail(failed);
                return;
            }
            record(deliveries, failed);
            clock.sleep(delay);
        }
    }

    /** EventBridge retries with exponential back-off: 1 s, 2 s, 4 s ... at most 5 minutes apart. */
    static Duration backoff(int attempt) {
        return Duration.ofSeconds(Math.min(1L << Math.min(attempt - 1, 9), 300));
    }

    private void fail(Delivery delivery) {
        record(deliveries, delivery);
        synchronized (deadLetters) {
            deadLetters.add(delivery);
        }
    }

    // ---- schedules ----

    /** Adds an enabled rule to the matcher, or starts its schedule. Called under the lock. */
    private void register(RuleState state) {
        Rule rule = state.rule;
        if (!rule.enabled()) {
            return;
        }
        if (rule.eventPattern() != null) {
            try {
                machine.addRule(rule.name(), rule.eventPattern());
            } catch (IOException e) {
                throw invalidPattern(e.getMessage());
            }
        }
        if (state.schedule != null) {
            startSchedule(state);
        }
    }

    /** Takes a rule out of the matcher and stops its schedule. Called under the lock. */
    private void unregister(RuleState state) {
        Rule rule = state.rule;
        if (rule.enabled() && rule.eventPattern() != null) {
            try {
                machine.deleteRule(rule.name(), rule.eventPattern());
            } catch (IOException e) {
                throw new IllegalStateException("event-ruler could not remove the pattern it accepted for rule "
                        + rule.name(), e);
            }
        }
        if (state.cancelSchedule != null) {
            state.cancelSchedule.fire();
            state.cancelSchedule = null;
        }
    }

    private void startSchedule(RuleState state) {
        if (closed) {
            return;
        }
        Signal cancel = clock.newSignal();
        state.cancelSchedule = cancel;
        ScheduleExpression schedule = state.schedule;
        String name = state.rule.name();
        Instant since = clock.now();
        clock.start("events-schedule-" + name, () -> {
            Instant last = since;
            try {
                while (true) {
                    Optional<Instant> next = schedule.nextAfter(last, since);
                    if (next.isEmpty() || clock.await(cancel, next.get())) {
                        return;
                    }
                    last = next.get();
                    fire(name, last);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** A {@code Scheduled Event} of {@code ruleName}, as EventBridge sends it to the rule's targets. */
    private void fire(String ruleName, Instant at) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", accountId);
        event.put("time", format(at));
        event.put("region", region);
        event.putArray("resources").add(ruleArn(ruleName));
        event.putObject("detail");
        route(event, ruleName);
    }

    /**
     * Stops every schedule (rules stay as they are, so a virtual clock no longer has their deadlines to race
     * through); deliveries under way finish. Call it when the runtime shuts down.
     */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            for (RuleState state : rules.values()) {
                if (state.cancelSchedule != null) {
                    state.cancelSchedule.fire();
                    state.cancelSchedule = null;
                }
            }
        }
    }

    // ---- records ----

    /** The most recent events the bus accepted (up to 10,000), oldest first. */
    public List<JsonNode> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The most recent delivery attempts (up to 10,000), oldest first. */
    public List<Delivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    /** The successful deliveries to one target ARN, oldest first. */
    public List<Delivery> deliveriesTo(String targetArn) {
        return deliveries().stream().filter(d -> d.succeeded() && d.targetArn().equals(targetArn)).toList();
    }

    /** Deliveries that failed for good (not retriable, or out of retries), in order. */
    public List<Delivery> deadLetters() {
        synchronized (deadLetters) {
            return List.copyOf(deadLetters);
        }
    }

    /** How many deliveries (and delayed events) are still under way. */
    public int inFlight() {
        return inFlight.get();
    }

    private static <T> void record(Deque<T> records, T item) {
        synchronized (records) {
            records.addLast(item);
            if (records.size() > RECORDS_KEPT) {
                records.removeFirst();
            }
        }
    }

    // ---- helpers ----

    private RuleState require(String name) {
        RuleState state = rules.get(name);
        if (state == null) {
            throw AwsError.of("ResourceNotFoundException", "Rule " + name + " does not exist on EventBus " + DEFAULT_BUS + ".");
        }
        return state;
    }

    private static Rule withTargets(Rule r, List<Target> targets) {
        return new Rule(r.name(), r.arn(), r.eventPattern(), r.scheduleExpression(), r.enabled(), r.description(),
                r.roleArn(), r.eventBusName(), targets);
    }

    private boolean isDefaultBus(String nameOrArn) {
        return DEFAULT_BUS.equals(nameOrArn) || busArn().equals(nameOrArn);
    }

    private void checkBus(String eventBusName) {
        if (eventBusName != null && !isDefaultBus(eventBusName)) {
            throw AwsError.of("ResourceNotFoundException", "Event bus " + eventBusName + " does not exist."
                    + " This runtime has only the default bus.");
        }
    }

    private static void checkName(String member, String name) {
        if (name == null) {
            throw AwsError.validation(member, null, "Member must not be null");
        }
        if (name.isEmpty() || name.length() > 64) {
            throw AwsError.validation(member, name, "Member must have length less than or equal to 64 and greater than"
                    + " or equal to 1");
        }
        if (!name.matches(NAME_PATTERN)) {
            throw AwsError.validation(member, name, "Member must satisfy regular expression pattern: " + NAME_PATTERN);
        }
    }

    @Override
    public String toString() {
        return "EventBus[" + busArn() + ", " + rules().size() + " rules]";
    }
}
