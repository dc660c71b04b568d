package dev.fleetrun.catalog.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.catalog.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the jobs file: the scheduled and alarm-triggered runs of a deployment, kept in the repository.
 *
 * <pre>
 * {
 *   "jobs": [
 *     {"name": "patch-web", "description": "...", "schedule": "cron(0 3 ? * SUN *)",
 *      "request": {run request}},
 *     {"name": "restart-web-on-5xx", "alarms": ["web-5xx-high"], "targetAlarmInstance": true,
 *      "request": {run request without targets}, "enabled": false}
 *   ]
 * }
 * </pre>
 *
 * Every problem is collected and reported at once, each naming the job and the field: unknown fields, a job with
 * both or neither of {@code schedule} and {@code alarms}, an invalid schedule expression, and a run request the start
 * function would refuse (checked with {@link RunRequestCheck}).
 */
public final class JobsFile {

    /** EventBridge's limit on a target's constant input or input template. */
    public static final int MAX_INPUT_CHARS = 8192;

    static final List<String> TOP_FIELDS = List.of("jobs", "comment");
    static final List<String> JOB_FIELDS = List.of("name", "description", "enabled", "schedule", "alarms",
            "targetAlarmInstance", "request");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
    private static final Pattern ALARM_NAME = Pattern.compile("[^\\p{Cntrl}]{1,255}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private JobsFile() {
    }

    /**
     * Reads {@code file}; a missing file means no jobs.
     *
     * @throws ConfigurationException listing every problem, each naming the job and field
     */
    public static List<Job> read(Path file, RunRequestCheck check) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return parse(Files.readString(file), "jobs file " + file, check);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read jobs file " + file, e);
        }
    }

    /**
     * Parses the jobs file text.
     *
     * @param source names the file in error messages
     */
    public static List<Job> parse(String text, String source, RunRequestCheck check) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigurationException(source, List.of("not valid JSON: " + dev.fleetrun.aws.JsonProblems.describe(e)));
        }
        List<String> problems = new ArrayList<>();
        List<Job> jobs = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new ConfigurationException(source, List.of("must be a JSON object {\"jobs\": [...]}"));
        }
        unknownFields(root, TOP_FIELDS, "the file", problems);
        JsonNode list = root.path("jobs");
        if (!list.isArray()) {
            problems.add("field 'jobs': must be an array of jobs (it may be empty)");
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                JobReader reader = new JobReader(list.get(i), i, problems);
                reader.read(check).ifPresent(job -> {
                    if (!names.add(job.name())) {
                        problems.add("job '" + job.name() + "': field 'name': another job has the same name; names must be unique");
                    } else {
                        jobs.add(job);
                    }
                });
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(source, problems);
        }
        return List.copyOf(jobs);
    }

    private static void unknownFields(JsonNode object, List<String> known, String where, List<String> problems) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!known.contains(field)) {
                problems.add(where + ": unknown field '" + field + "' (known fields: " + String.join(", ", known) + ")");
            }
        }
    }

    /** Reads one job, adding its problems to the file's list. */
    private static final class JobReader {
        private final JsonNode node;
        private final List<String> problems;
        private String label;
        private int before;

        JobReader(JsonNode node, int index, List<String> problems) {
            this.node = node;
            this.problems = problems;
            this.label = "jobs[" + index + "]";
        }

        Optional<Job> read(RunRequestCheck check) {
            before = problems.size();
            if (!node.isObject()) {
                problems.add(label + ": must be an object with name, schedule or alarms, and request");
                return Optional.empty();
            }
            String name = name();
            unknownFields(node, JOB_FIELDS, label, problems);
            String description = optionalText("description", 256);
            boolean enabled = optionalBoolean("enabled", true);
            boolean hasSchedule = node.has("schedule");
            boolean hasAlarms = node.has("alarms");
            if (hasSchedule == hasAlarms) {
                problems.add(label + ": give exactly one of 'schedule' (a scheduled job) and 'alarms' (an alarm job)");
            }
            ObjectNode request = request();
            boolean targetInstance = optionalBoolean("targetAlarmInstance", false);
            if (node.has("targetAlarmInstance") && !hasAlarms) {
                problems.add(label + ": field 'targetAlarmInstance': only an alarm job can target the alarm's instance");
            }
            if (targetInstance && request != null && (request.has("targets") || request.has("instanceIds"))) {
                problems.add(label + ": field 'request': with targetAlarmInstance the rule sets instanceIds from the"
                        + " alarm; remove the request's " + (request.has("targets") ? "'targets'" : "'instanceIds'"));
            }
            Job job = null;
            if (hasSchedule && !hasAlarms) {
                String schedule = schedule();
                if (schedule != null && request != null && name != null) {
                    job = new Job.ScheduleJob(name, description, enabled, schedule, request);
                }
            } else if (hasAlarms && !hasSchedule) {
                List<String> alarms = alarms();
                if (alarms != null && request != null && name != null) {
                    job = new Job.AlarmJob(name, description, enabled, alarms, targetInstance, request);
                }
            }
            if (job == null || problems.size() > before) {
                return Optional.empty();
            }
            ObjectNode input = TriggerInput.sample(job);
            for (String problem : check.problems(input)) {
                problems.add(label + ": field 'request." + problem.replaceFirst(": ", "': "));
            }
            if (input.toString().length() > MAX_INPUT_CHARS) {
                problems.add(label + ": field 'request': with its trigger it is " + input.toString().length()
                        + " characters; EventBridge passes at most " + MAX_INPUT_CHARS);
            }
            return problems.size() > before ? Optional.empty() : Optional.of(job);
        }

        private String name() {
            JsonNode n = node.get("name");
            if (n == null || !n.isTextual()) {
                problems.add(label + ": field 'name': required, a string");
                return null;
            }
            String name = n.asText();
            label = "job '" + name + "'";
            if (!NAME.matcher(name).matches()) {
                problems.add(label + ": field 'name': must be 1-64 letters, digits and hyphens, starting with a letter or digit");
                return null;
            }
            return name;
        }

        private String optionalText(String field, int max) {
            JsonNode n = node.get(field);
            if (n == null) {
                return "";
            }
            if (!n.isTextual() || n.asText().length() > max) {
                problems.add(label + ": field '" + field + "': must be a string of at most " + max + " characters");
                return "";
            }
            return n.asText();
        }

        private boolean optionalBoolean(String field, boolean fallback) {
            JsonNode n = node.get(field);
            if (n == null) {
                return fallback;
            }
            if (!n.isBoolean()) {
                problems.add(label + ": field '" + field + "': must be true or false, got " + n);
                return fallback;
            }
            return n.asBoolean();
        }

        private String schedule() {
            JsonNode n = node.get("schedule");
            if (!n.isTextual()) {
                problems.add(label + ": field 'schedule': must be a string such as cron(0 3 ? * SUN *) or rate(1 day)");
                return null;
            }
            Optional<String> problem = ScheduleExpression.problem(n.asText().trim());
            problem.ifPresent(p -> problems.add(label + ": field 'schedule': " + p));
            return problem.isPresent() ? null : n.asText().trim();
        }

        private List<String> alarms() {
            JsonNode n = node.get("alarms");
            if (!n.isArray() || n.isEmpty()) {
                problems.add(label + ": field 'alarms': must be a non-empty array of CloudWatch alarm names");
                return null;
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                JsonNode a = n.get(i);
                if (!a.isTextual() || !ALARM_NAME.matcher(a.asText()).matches()) {
                    problems.add(label + ": field 'alarms[" + i + "]': must be an alarm name, 1-255 characters");
                } else if (names.contains(a.asText())) {
                    problems.add(label + ": field 'alarms[" + i + "]': '" + a.asText() + "' is listed twice");
                } else {
                    names.add(a.asText());
                }
            }
            return names.size() == n.size() ? names : null;
        }

        private ObjectNode request() {
            JsonNode n = node.get("request");
            if (n == null || !n.isObject()) {
                problems.add(label + ": field 'request': required, a run request object (see DESIGN, \"Run request\")");
                return null;
            }
            if (n.has("trigger")) {
                problems.add(label + ": field 'request.trigger': set by the rule that starts the job; remove it");
                return null;
            }
            return (ObjectNode) n;
        }
    }
}
