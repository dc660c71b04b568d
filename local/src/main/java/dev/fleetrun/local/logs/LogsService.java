package dev.fleetrun.local.logs;

import static dev.fleetrun.local.wire.RequestFields.optionalInt;
import static dev.fleetrun.local.wire.RequestFields.optionalText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.AwsJsonProtocol;
import dev.fleetrun.local.wire.AwsServer;
import dev.fleetrun.local.wire.AwsService;
import dev.fleetrun.local.wire.Page;
import dev.fleetrun.local.wire.RequestFields;
import dev.fleetrun.local.wire.WireTree;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Amazon CloudWatch Logs for the embedded runtime, over AWS JSON 1.1 ({@code X-Amz-Target: Logs_20140328.*}):
 * CreateLogGroup, DescribeLogGroups, DeleteLogGroup, CreateLogStream, DescribeLogStreams, PutLogEvents,
 * GetLogEvents and FilterLogEvents, in memory, with the service model's names, limits and errors
 * ({@code ResourceNotFoundException}, {@code ResourceAlreadyExistsException}, {@code InvalidParameterException}).
 *
 * <p>Filter patterns: the text forms (terms that must all appear, {@code "quoted phrases"}, {@code -excluded} terms,
 * {@code ?any ?of} terms); JSON and space-delimited patterns are refused with {@code NotImplementedLocally}. No
 * retention, metric filters, subscriptions, Insights or Live Tail.
 */
public final class LogsService extends AwsService {
    /** The X-Amz-Target prefix CloudWatch Logs clients send. */
    public static final String TARGET_PREFIX = "Logs_20140328";
    static final String GROUP_PATTERN = "[\\.\\-_/#A-Za-z0-9]+";
    static final String STREAM_PATTERN = "[^:*]*";
    private static final int MAX_RESPONSE_BYTES = 1_048_576;

    private final String region;
    private final String accountId;
    private final Map<String, Group> groups = new TreeMap<>();

    /** One event as stored. */
    public record Event(long timestamp, String message, long ingestionTime) {
    }

    private static final class Group {
        final String name;
        final long created;
        final Map<String, Stream> streams = new TreeMap<>();

        Group(String name, long created) {
            this.name = name;
            this.created = created;
        }
    }

    private static final class Stream {
        final String name;
        final long created;
        final List<Event> events = new ArrayList<>();
        long sequence;

        Stream(String name, long created) {
            this.name = name;
            this.created = created;
        }
    }

    public LogsService(Clock clock, String region, String accountId) {
        super("logs", new AwsJsonProtocol("1.1"), List.of("CreateLogGroup", "DescribeLogGroups", "DeleteLogGroup",
                "CreateLogStream", "DescribeLogStreams", "PutLogEvents", "GetLogEvents", "FilterLogEvents"), clock);
        this.region = region;
        this.accountId = accountId;
    }

    /** Hosts this service on {@code server}, under {@value #TARGET_PREFIX}. */
    public LogsService serveOn(AwsServer server) {
        server.jsonService(TARGET_PREFIX, this);
        return this;
    }

    // ---- for the simulation (in process) ----

    /** Creates the group if it is not there (as the SSM Agent does before it writes). */
    public synchronized void ensureGroup(String group) {
        groups.computeIfAbsent(group, name -> new Group(name, now().toEpochMilli()));
    }

    /** Appends events to a stream, creating the stream (and the group) when needed. */
    public synchronized void append(String group, String stream, List<String> messages) {
        ensureGroup(group);
        Stream s = groups.get(group).streams.computeIfAbsent(stream, name -> new Stream(name, now().toEpochMilli()));
        long at = now().toEpochMilli();
        messages.forEach(m -> s.events.add(new Event(at, m, at)));
    }

    public synchronized boolean groupExists(String group) {
        return groups.containsKey(group);
    }

    /** The stream's events in order; empty when the group or stream is not there. */
    public synchronized List<Event> events(String group, String stream) {
        Group g = groups.get(group);
        Stream s = g == null ? null : g.streams.get(stream);
        return s == null ? List.of() : List.copyOf(s.events);
    }

    /** The names of a group's streams, in order. */
    public synchronized List<String> streams(String group) {
        Group g = groups.get(group);
        return g == null ? List.of() : List.copyOf(g.streams.keySet());
    }

    // ---- the API ----

    @Override
    protected AwsError throttlingError() {
        return AwsError.of("ThrottlingException", "Rate exceeded");
    }

    /** CloudWatch Logs words a request that breaks the model as InvalidParameterException, with the usual message. */
    @Override
    protected JsonNode handle(String operation, JsonNode input) {
        try {
            return operation(operation, input);
        } catch (AwsError e) {
            if (e.code().equals("ValidationException")) {
                throw AwsError.of("InvalidParameterException", e.getMessage());
            }
            throw e;
        }
    }

    private JsonNode operation(String operation, JsonNode input) {
        return switch (operation) {
            case "CreateLogGroup" -> createLogGroup(input);
            case "DescribeLogGroups" -> describeLogGroups(input);
            case "DeleteLogGroup" -> deleteLogGroup(input);
            case "CreateLogStream" -> createLogStream(input);
            case "DescribeLogStreams" -> describeLogStreams(input);
            case "PutLogEvents" -> putLogEvents(input);
            case "GetLogEvents" -> getLogEvents(input);
            case "FilterLogEvents" -> filterLogEvents(input);
            default -> throw AwsError.unknownOperation(name(), operation, operations());
        };
    }

    private JsonNode createLogGroup(JsonNode input) {
        String name = groupName(input, true);
        if (groups.containsKey(name)) {
            throw AwsError.of("ResourceAlreadyExistsException", "The specified log group already exists");
        }
        groups.put(name, new Group(name, now().toEpochMilli()));
        return WireTree.object();
    }

    private JsonNode deleteLogGroup(JsonNode input) {
        group(groupName(input, true));
        groups.remove(groupName(input, true));
        return WireTree.object();
    }

    private JsonNode describeLogGroups(JsonNode input) {
        String prefix = optionalText(input, "logGroupNamePrefix", null);
        String pattern = optionalText(input, "logGroupNamePattern", null);
        if (prefix != null && pattern != null) {
            throw AwsError.of("InvalidParameterException", "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
        }
        int limit = limit(input, 50, 50);
        List<Group> matching = groups.values().stream()
                .filter(g -> prefix == null || g.name.startsWith(prefix))
                .filter(g -> pattern == null || g.name.toLowerCase().contains(pattern.toLowerCase()))
                .toList();
        Page<Group> page = Page.of(matching, limit, optionalText(input, "nextToken", null), "InvalidParameterException");
        ObjectNode out = WireTree.object();
        ArrayNode list = out.putArray("logGroups");
        for (Group g : page.items()) {
            String arn = "arn:aws:logs:" + region + ":" + accountId + ":log-group:" + g.name;
            long stored = g.streams.values().stream().mapToLong(LogsService::storedBytes).sum();
            list.addObject().put("logGroupName", g.name).put("creationTime", g.created).put("metricFilterCount", 0)
                    .put("arn", arn + ":*").put("storedBytes", stored).put("logGroupClass", "STANDARD")
                    .put("logGroupArn", arn);
        }
        if (page.nextToken() != null) {
            out.put("nextToken", page.nextToken());
        }
        return out;
    }

    private JsonNode createLogStream(JsonNode input) {
        Group g = group(groupName(input, true));
        String name = streamName(input);
        if (g.streams.containsKey(name)) {
            throw AwsError.of("ResourceAlreadyExistsException", "The specified log stream already exists");
        }
        g.streams.put(name, new Stream(name, now().toEpochMilli()));
        return WireTree.object();
    }

    private JsonNode describeLogStreams(JsonNode input) {
        Group g = group(groupName(input, false));
        String prefix = optionalText(input, "logStreamNamePrefix", null);
        String orderBy = optionalText(input, "orderBy", "LogStreamName");
        if (!List.of("LogStreamName", "LastEventTime").contains(orderBy)) {
            throw AwsError.validation("orderBy", orderBy, "Member must satisfy enum value set: [LogStreamName, LastEventTime]");
        }
        if (prefix != null && orderBy.equals("LastEventTime")) {
            throw AwsError.of("InvalidParameterException", "Cannot order by LastEventTime with a logStreamNamePrefix.");
        }
        int limit = limit(input, 50, 50);
        List<Stream> matching = new ArrayList<>(g.streams.values().stream()
                .filter(s -> prefix == null || s.name.startsWith(prefix)).toList());
        if (orderBy.equals("LastEventTime")) {
            matching.sort(Comparator.comparingLong(LogsService::lastEventTime));
        }
        if (RequestFields.optionalBoolean(input, "descending")) {
            java.util.Collections.reverse(matching);
        }
        Page<Stream> page = Page.of(matching, limit, optionalText(input, "nextToken", null), "InvalidParameterException");
        ObjectNode out = WireTree.object();
        ArrayNode list = out.putArray("logStreams");
        for (Stream s : page.items()) {
            ObjectNode shape = list.addObject().put("logStreamName", s.name).put("creationTime", s.created);
            if (!s.events.isEmpty()) {
                shape.put("firstEventTimestamp", s.events.stream().mapToLong(Event::timestamp).min().orElse(0))
                        .put("lastEventTimestamp", lastEventTime(s))
                        .put("lastIngestionTime", s.events.get(s.events.size() - 1).ingestionTime());
            }
            shape.put("uploadSequenceToken", String.valueOf(s.sequence))
                    .put("arn", "arn:aws:logs:" + region + ":" + accountId + ":log-group:" + g.name + ":log-stream:" + s.name)
                    .put("storedBytes", 0);
        }
        if (page.nextToken() != null) {
            out.put("nextToken", page.nextToken());
        }
        return out;
    }

    private JsonNode putLogEvents(JsonNode input) {
        Group g = group(groupName(input, true));
        String streamName = streamName(input);
        Stream s = g.streams.get(streamName);
        if (s == null) {
            throw AwsError.of("ResourceNotFoundException", "The specified log stream does not exist.");
        }
        List<JsonNode> events = RequestFields.list(input, "logEvents");
        RequestFields.checkSize("logEvents", events, 1, 10000);
        long previous = Long.MIN_VALUE;
        long bytes = 0;
        List<Event> accepted = new ArrayList<>();
        long ingested = now().toEpochMilli();
        for (JsonNode e : events) {
            String message = RequestFields.requiredText(e, "message");
            long timestamp = e.path("timestamp").asLong();
            if (timestamp < previous) {
                throw AwsError.of("InvalidParameterException", "Log events in a single PutLogEvents request must be in chronological order.");
            }
            previous = timestamp;
            bytes += message.getBytes(StandardCharsets.UTF_8).length + 26;
            accepted.add(new Event(timestamp, message, ingested));
        }
        if (bytes > MAX_RESPONSE_BYTES) {
            throw AwsError.of("InvalidParameterException", "Upload too large: " + bytes + " bytes exceeds the limit of "
                    + MAX_RESPONSE_BYTES + " (the sum of the messages' UTF-8 bytes plus 26 bytes for each event)");
        }
        s.events.addAll(accepted);
        s.events.sort(Comparator.comparingLong(Event::timestamp));
        s.sequence++;
        return WireTree.object().put("nextSequenceToken", String.valueOf(s.sequence));
    }

    private static final Pattern TOKEN = Pattern.compile("([fb])/(\\d+)");

    private JsonNode getLogEvents(JsonNode input) {
        Group g = group(groupName(input, false));
        String streamName = streamName(input);
        Stream s = g.streams.get(streamName);
        if (s == null) {
            throw AwsError.of("ResourceNotFoundException", "The specified log stream does not exist.");
        }
        List<Event> window = s.events.stream().filter(e -> inTime(e, input)).toList();
        int limit = limit(input, 10000, 10000);
        String token = optionalText(input, "nextToken", null);
        boolean fromHead = RequestFields.optionalBoolean(input, "startFromHead");
        int from;
        int to;
        if (token != null) {
            Matcher m = TOKEN.matcher(token);
            if (!m.matches() || Integer.parseInt(m.group(2)) > window.size()) {
                throw AwsError.of("InvalidParameterException", "The specified nextToken is not valid: '" + token + "'");
            }
            int at = Integer.parseInt(m.group(2));
            if (m.group(1).equals("f")) {
                from = at;
                to = fit(window, from, limit, true);
            } else {
                to = at;
                from = fit(window, to, limit, false);
            }
        } else if (fromHead) {
            from = 0;
            to = fit(window, 0, limit, true);
        } else {
            to = window.size();
            from = fit(window, to, limit, false);
        }
        ObjectNode out = WireTree.object();
        ArrayNode list = out.putArray("events");
        for (Event e : window.subList(from, to)) {
            list.addObject().put("timestamp", e.timestamp()).put("message", e.message()).put("ingestionTime", e.ingestionTime());
        }
        // At either end the same token comes back, which is how clients know to stop (as CloudWatch Logs does).
        out.put("nextForwardToken", "f/" + to).put("nextBackwardToken", "b/" + from);
        return out;
    }

    private JsonNode filterLogEvents(JsonNode input) {
        Group g = group(groupName(input, false));
        List<String> names = RequestFields.textList(input, "logStreamNames");
        String prefix = optionalText(input, "logStreamNamePrefix", null);
        if (!names.isEmpty() && prefix != null) {
            throw AwsError.of("InvalidParameterException", "logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
        }
        String pattern = optionalText(input, "filterPattern", "");
        RequestFields.checkLength("filterPattern", pattern, 0, 1024);
        FilterPattern filter = FilterPattern.parse(pattern);
        record Found(String stream, int index, Event event) {
        }
        List<Found> found = new ArrayList<>();
        List<String> searched = new ArrayList<>();
        for (Stream s : g.streams.values()) {
            if ((!names.isEmpty() && !names.contains(s.name)) || (prefix != null && !s.name.startsWith(prefix))) {
                continue;
            }
            searched.add(s.name);
            for (int i = 0; i < s.events.size(); i++) {
                Event e = s.events.get(i);
                if (inTime(e, input) && filter.matches(e.message())) {
                    found.add(new Found(s.name, i, e));
                }
            }
        }
        found.sort(Comparator.comparingLong((Found f) -> f.event().timestamp()));
        int limit = limit(input, 10000, 10000);
        Page<Found> page = Page.of(found, limit, optionalText(input, "nextToken", null), "InvalidParameterException");
        ObjectNode out = WireTree.object();
        ArrayNode list = out.putArray("events");
        for (Found f : page.items()) {
            list.addObject().put("logStreamName", f.stream()).put("timestamp", f.event().timestamp())
                    .put("message", f.event().message()).put("ingestionTime", f.event().ingestionTime())
                    .put("eventId", f.stream().hashCode() + "-" + f.index());
        }
        ArrayNode streams = out.putArray("searchedLogStreams");
        searched.forEach(name -> streams.addObject().put("logStreamName", name).put("searchedCompletely", true));
        if (page.nextToken() != null) {
            out.put("nextToken", page.nextToken());
        }
        return out;
    }

    // ---- helpers ----

    private Group group(String name) {
        Group g = groups.get(name);
        if (g == null) {
            throw AwsError.of("ResourceNotFoundException", "The specified log group does not exist.");
        }
        return g;
    }

    /** logGroupName (or, where the operation takes it, logGroupIdentifier: a name or an ARN). */
    private static String groupName(JsonNode input, boolean nameOnly) {
        String name = optionalText(input, "logGroupName", null);
        String identifier = nameOnly ? null : optionalText(input, "logGroupIdentifier", null);
        if (name != null && identifier != null) {
            throw AwsError.of("InvalidParameterException", "LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        }
        if (identifier != null) {
            int at = identifier.indexOf(":log-group:");
            name = at < 0 ? identifier : identifier.substring(at + ":log-group:".length()).replaceAll(":\\*$", "");
        }
        if (name == null) {
            throw AwsError.validation("logGroupName", null, "Member must not be null");
        }
        RequestFields.checkLength("logGroupName", name, 1, 512);
        RequestFields.checkPattern("logGroupName", name, GROUP_PATTERN);
        return name;
    }

    private static String streamName(JsonNode input) {
        String name = RequestFields.requiredText(input, "logStreamName");
        RequestFields.checkLength("logStreamName", name, 1, 512);
        RequestFields.checkPattern("logStreamName", name, STREAM_PATTERN);
        return name;
    }

    private static int limit(JsonNode input, int max, int fallback) {
        Integer limit = optionalInt(input, "limit");
        RequestFields.checkRange("limit", limit, 1, max);
        return limit == null ? fallback : limit;
    }

    private static boolean inTime(Event e, JsonNode input) {
        boolean afterStart = !RequestFields.has(input, "startTime") || e.timestamp() >= input.get("startTime").asLong();
        boolean beforeEnd = !RequestFields.has(input, "endTime") || e.timestamp() < input.get("endTime").asLong();
        return afterStart && beforeEnd;
    }

    /** How far from {@code at} a page reaches: at most {@code limit} events and 1 MB of messages. */
    private static int fit(List<Event> events, int at, int limit, boolean forward) {
        int bytes = 0;
        int count = 0;
        int i = at;
        while (count < limit && (forward ? i < events.size() : i > 0)) {
            Event e = events.get(forward ? i : i - 1);
            bytes += e.message().getBytes(StandardCharsets.UTF_8).length + 26;
            if (bytes > MAX_RESPONSE_BYTES && count > 0) {
                break;
            }
            count++;
            i += forward ? 1 : -1;
        }
        return i;
    }

    private static long lastEventTime(Stream s) {
        return s.events.stream().mapToLong(Event::timestamp).max().orElse(0);
    }

    private static long storedBytes(Stream s) {
        return s.events.stream().mapToLong(e -> e.message().getBytes(StandardCharsets.UTF_8).length).sum();
    }
}
