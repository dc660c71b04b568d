package dev.fleetrun.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts a workflow error into words: a Step Functions error name and cause, as a Catch records them
 * ({@code {"Error": "software.amazon.awssdk.services.ssm.model.ThrottlingException", "Cause": "{\"errorMessage\": ...}"}}),
 * become one line that says what failed and what to do, with no Java class names, no Lambda error JSON and no
 * SDK request ids. The line goes into a failed run's cause; the raw error stays in the summary's {@code failure}.
 */
public final class FailureWords {

    /** The longest line this makes; a longer message is cut with "...". */
    static final int MAX_LENGTH = 600;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A Java class name with its package, such as {@code software.amazon.awssdk.services.ssm.model.ThrottlingException}. */
    private static final Pattern QUALIFIED = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*)");
    private static final Pattern SDK_SERVICE = Pattern.compile("^software\\.amazon\\.awssdk\\.services\\.([a-z0-9]+)\\.");
    /** The SDK's "(Service: Ssm, Status Code: 400, Request ID: ...)" suffix. */
    private static final Pattern SDK_DETAILS = Pattern.compile("\\s*\\(Service: ([^,)]+)[^)]*\\)");
    private static final Map<String, String> SERVICES = Map.ofEntries(
            Map.entry("ssm", "SSM"), Map.entry("dynamodb", "DynamoDB"), Map.entry("eventbridge", "EventBridge"),
            Map.entry("sns", "SNS"), Map.entry("sfn", "Step Functions"), Map.entry("cloudwatch", "CloudWatch"),
            Map.entry("resourcegroups", "Resource Groups"), Map.entry("resourcegroupstaggingapi", "Resource Groups"),
            Map.entry("lambda", "Lambda"), Map.entry("s3", "S3"), Map.entry("cloudwatchlogs", "CloudWatch Logs"),
            Map.entry("sqs", "SQS"));

    private FailureWords() {
    }

    /** The words for a Catch's failure object {@code {"Error", "Cause"}}; "the workflow failed" when it has neither. */
    public static String describe(JsonNode failure) {
        if (failure == null || failure.isNull()) {
            return "the workflow failed";
        }
        return describe(text(failure.get("Error")), text(failure.get("Cause")));
    }

    /** The words for an error name and its cause (either may be null). */
    public static String describe(String error, String cause) {
        String type = error;
        String message = cause;
        JsonNode parsed = parse(cause);
        if (parsed != null && parsed.isObject() && (parsed.has("errorMessage") || parsed.has("errorType"))) {
            message = text(parsed.get("errorMessage"));
            String innerType = text(parsed.get("errorType"));
            if (type == null || type.isBlank() || "States.TaskFailed".equals(type)) {
                type = innerType;
            }
        }
        type = type == null || type.isBlank() ? "error" : type.strip();
        String service = service(type, message);
        String name = simpleName(type);
        String said = clean(message);
        String words = words(type, name, service, said);
        words = words.replaceAll("\\s+", " ").strip();
        return words.length() > MAX_LENGTH ? words.substring(0, MAX_LENGTH - 3) + "..." : words;
    }

    private static String words(String type, String name, String service, String said) {
        String lower = name.toLowerCase(Locale.ROOT);
        String detail = said.isEmpty() ? "" : ": " + said;
        String who = service == null ? "an AWS service" : service;
        if (lower.contains("throttl") || lower.contains("toomanyrequests") || lower.contains("ratelimit")
                || lower.contains("requestlimitexceeded") || lower.contains("provisionedthroughputexceeded")) {
            return who + " throttled fleetrun's calls (" + name + ") for longer than the retries last"
                    + "; wait for the load to drop, then run the nodes that did not run again";
        }
        if (lower.contains("accessdenied") || lower.contains("authoriz") || lower.contains("unrecognizedclient")
                || lower.contains("invalidclienttokenid") || lower.contains("expiredtoken")) {
            return who + " refused fleetrun's call (" + name + detail + "); the function's role or the credentials lack"
                    + " a permission: check the stack's IAM policies";
        }
        if (type.equals("States.Timeout") || type.equals("States.HeartbeatTimeout") || lower.contains("timedout")
                || lower.contains("timeout")) {
            return "a step took longer than its timeout (" + name + detail + ")";
        }
        if (type.equals("Lambda.ResourceNotFoundException")) {
            return "a fleetrun function is missing (" + name + detail + "); deploy the stack again";
        }
        if (type.startsWith("Lambda.") || type.startsWith("Sandbox.") || type.equals("Runtime.ExitError")) {
            return "Lambda could not run a fleetrun function (" + name + detail + ") after its retries"
                    + "; check the function's log in CloudWatch Logs";
        }
        if (type.startsWith("States.")) {
            return "the workflow met a " + type + " error" + detail;
        }
        if (type.startsWith("Fleetrun.")) {
            return said.isEmpty() ? type : said;
        }
        if (service != null) {
            return service + " refused a call (" + name + detail + ")";
        }
        return name + detail;
    }

    /** The service an SDK exception came from: its package, or the "(Service: Ssm, ...)" of its message. */
    private static String service(String type, String message) {
        Matcher m = SDK_SERVICE.matcher(type);
        if (m.find()) {
            return SERVICES.getOrDefault(m.group(1), m.group(1));
        }
        if (message != null) {
            Matcher d = SDK_DETAILS.matcher(message);
            if (d.find()) {
                String s = d.group(1).strip().toLowerCase(Locale.ROOT).replace(" ", "");
                return SERVICES.getOrDefault(s, d.group(1).strip());
            }
        }
        return null;
    }

    /** {@code ThrottlingException} for {@code software...model.ThrottlingException}; {@code Lambda.Unknown} stays. */
    static String simpleName(String type) {
        Matcher m = QUALIFIED.matcher(type);
        return m.matches() ? m.group(1) : type;
    }

    /** The message's first line, without SDK request details and with class names cut to their simple names. */
    private static String clean(String message) {
        if (message == null) {
            return "";
        }
        String s = message.strip();
        int nl = s.indexOf('\n');
        if (nl >= 0) {
            s = s.substring(0, nl);
        }
        s = SDK_DETAILS.matcher(s).replaceAll("");
        s = QUALIFIED.matcher(s).replaceAll("$1");
        return s.strip();
    }

    private static JsonNode parse(String s) {
        if (s == null || !s.strip().startsWith("{")) {
            return null;
        }
        try {
            return JSON.readTree(s);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
