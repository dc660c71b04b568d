package dev.fleetrun.infra;

import dev.fleetrun.catalog.ConfigurationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The deployment settings an operator chooses with CDK context ({@code cdk deploy -c key=value} or {@code cdk.json}),
 * each with a safe default. {@link #fromContext} reads and checks them all at once and reports every bad value
 * with its key and what is accepted.
 *
 * @param stackName                the CloudFormation stack name
 * @param allowedDocuments         SSM documents a run may send: the only documents {@code ssm:SendCommand} is granted
 *                                 on, and the allow-list the start function enforces ({@code FLEETRUN_ALLOWED_DOCUMENTS})
 * @param instanceTag              when present, {@code ssm:SendCommand} reaches only nodes carrying this tag
 * @param alertEmail               when present, an e-mail subscription on the alert topic
 * @param retentionDays            run records expire (DynamoDB TTL) this many days after they are written
 * @param countUnreachableAsErrors whether Undeliverable / DeliveryTimedOut nodes count against {@code maxErrors}
 * @param leaseSeconds             how long a node lease lasts
 * @param heartbeatSeconds         a wave wait with no news for this long is reconciled by polling
 * @param deliveryTimeoutSeconds   the delivery window in SSM {@code TimeoutSeconds} (plus one execution timeout per extra round)
 * @param logRetentionDays         retention of the functions' and state machines' log groups
 * @param outputRetentionDays      command output in the output bucket expires after this many days
 * @param reconcileAlarmThreshold  reconcile activations per hour that raise the "events are being lost" alarm
 * @param jobsFile                 the scheduled and alarm-triggered jobs
 * @param functionsJar             the shaded Lambda jar of {@code functions/}
 */
public record FleetrunSettings(
        String stackName,
        List<String> allowedDocuments,
        Optional<InstanceTag> instanceTag,
        Optional<String> alertEmail,
        int retentionDays,
        boolean countUnreachableAsErrors,
        int leaseSeconds,
        int heartbeatSeconds,
        int deliveryTimeoutSeconds,
        int logRetentionDays,
        int outputRetentionDays,
        int reconcileAlarmThreshold,
        Path jobsFile,
        Path functionsJar) {

    /** The context keys, as an operator types them after {@code -c}. */
    public static final class Keys {
        public static final String STACK_NAME = "stackName";
        public static final String ALLOWED_DOCUMENTS = "allowedDocuments";
        public static final String INSTANCE_TAG = "instanceTag";
        public static final String ALERT_EMAIL = "alertEmail";
        public static final String RETENTION_DAYS = "retentionDays";
        public static final String COUNT_UNREACHABLE_AS_ERRORS = "countUnreachableAsErrors";
        public static final String LEASE_SECONDS = "leaseSeconds";
        public static final String HEARTBEAT_SECONDS = "heartbeatSeconds";
        public static final String DELIVERY_TIMEOUT_SECONDS = "deliveryTimeoutSeconds";
        public static final String LOG_RETENTION_DAYS = "logRetentionDays";
        public static final String OUTPUT_RETENTION_DAYS = "outputRetentionDays";
        public static final String RECONCILE_ALARM_THRESHOLD = "reconcileAlarmThreshold";
        public static final String JOBS_FILE = "jobsFile";
        public static final String FUNCTIONS_JAR = "functionsJar";

        private Keys() {
        }
    }

    /** The documents a fresh deployment allows: plain shell scripts on Linux/macOS and Windows. */
    public static final List<String> DEFAULT_ALLOWED_DOCUMENTS = List.of("AWS-RunShellScript", "AWS-RunPowerShellScript");

    /** CloudWatch Logs accepts only these retention periods (days). */
    static final List<Integer> LOG_RETENTION_CHOICES = List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400,
            545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    private static final Pattern DOCUMENT_NAME = Pattern.compile("[a-zA-Z0-9_\\-.]{3,128}");
    private static final Pattern DOCUMENT_ARN = Pattern.compile("arn:aws[a-z-]*:ssm:[a-z0-9-]+:\\d{12}:document/[a-zA-Z0-9_\\-.]{3,128}");
    private static final Pattern STACK_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,127}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");
    private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}");

    /** A node tag, {@code key=value}, that SendCommand's target nodes must carry. */
    public record InstanceTag(String key, String value) {
        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    public FleetrunSettings {
        allowedDocuments = List.copyOf(allowedDocuments);
    }

    /**
     * Reads every setting from CDK context (ranges as the functions' own configuration, dev.fleetrun.aws.Config,
     * accepts them, so a deployed function never refuses its environment), with defaults for the ones not given.
     *
     * @param context             a context lookup (a construct's {@code node.tryGetContext}); values may be strings
     *                            (from {@code -c}) or JSON values (from {@code cdk.json})
     * @param infraDir            the {@code infra/} directory, against which relative paths resolve
     * @param defaultFunctionsJar the shaded jar the build produces
     * @throws ConfigurationException naming every bad key, its value and what it accepts
     */
    public static FleetrunSettings fromContext(Function<String, Object> context, Path infraDir, Path defaultFunctionsJar) {
        Reader r = new Reader(context);
        String stackName = r.string(Keys.STACK_NAME, "Fleetrun", STACK_NAME,
                "a CloudFormation stack name: a letter, then letters, digits or hyphens, at most 128 characters");
        List<String> documents = r.documents();
        Optional<InstanceTag> tag = r.instanceTag();
        Optional<String> email = r.optionalString(Keys.ALERT_EMAIL, EMAIL, "an e-mail address such as ops@example.com");
        int retentionDays = r.integer(Keys.RETENTION_DAYS, 90, 1, 3650, "days");
        boolean countUnreachable = r.bool(Keys.COUNT_UNREACHABLE_AS_ERRORS, true);
        int leaseSeconds = r.integer(Keys.LEASE_SECONDS, 86_400, 60, 2_592_000, "seconds");
        int heartbeatSeconds = r.integer(Keys.HEARTBEAT_SECONDS, 300, 10, 86_400, "seconds");
        int deliveryTimeout = r.integer(Keys.DELIVERY_TIMEOUT_SECONDS, 600, 30, 2_592_000, "seconds (SSM's TimeoutSeconds range)");
        int logRetention = r.integer(Keys.LOG_RETENTION_DAYS, 30, 1, 3653, "days");
        if (!LOG_RETENTION_CHOICES.contains(logRetention)) {
            r.problems.add("context '" + Keys.LOG_RETENTION_DAYS + "': CloudWatch Logs does not offer " + logRetention
                    + " days; choose one of " + LOG_RETENTION_CHOICES);
        }
        int outputRetention = r.integer(Keys.OUTPUT_RETENTION_DAYS, 90, 1, 3650, "days");
        int reconcileThreshold = r.integer(Keys.RECONCILE_ALARM_THRESHOLD, 5, 1, 100_000, "activations per hour");
        Path jobsFile = r.path(Keys.JOBS_FILE, infraDir, infraDir.resolve("jobs.json"));
        Path jar = r.path(Keys.FUNCTIONS_JAR, infraDir, defaultFunctionsJar);
        if (!r.problems.isEmpty()) {
            throw new ConfigurationException("context (cdk -c key=value or cdk.json)", r.problems);
        }
        return new FleetrunSettings(stackName, documents, tag, email, retentionDays, countUnreachable, leaseSeconds,
                heartbeatSeconds, deliveryTimeout, logRetention, outputRetention, reconcileThreshold, jobsFile, jar);
    }

    /** Reads typed context values and collects what is wrong with them. */
    private static final class Reader {
        private final Function<String, Object> context;
        private final List<String> problems = new ArrayList<>();

        Reader(Function<String, Object> context) {
            this.context = context;
        }

        private Optional<String> raw(String key) {
            Object value = context.apply(key);
            if (value == null) {
                return Optional.empty();
            }
            String text = value.toString().trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        }

        String string(String key, String fallback, Pattern pattern, String expected) {
            return optionalString(key, pattern, expected).orElse(fallback);
        }

        Optional<String> optionalString(String key, Pattern pattern, String expected) {
            Optional<String> value = raw(key);
            if (value.isPresent() && !pattern.matcher(value.get()).matches()) {
                problems.add("context '" + key + "': '" + value.get() + "' is not " + expected);
                return Optional.empty();
            }
            return value;
        }

        int integer(String key, int fallback, int min, int max, String unit) {
            Optional<String> value = raw(key);
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(value.get());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add("context '" + key + "': '" + value.get() + "' is not a whole number of " + unit
                    + " between " + min + " and " + max);
            return fallback;
        }

        boolean bool(String key, boolean fallback) {
            Optional<String> value = raw(key);
            if (value.isEmpty()) {
                return fallback;
            }
            switch (value.get().toLowerCase(Locale.ROOT)) {
                case "true":
                    return true;
                case "false":
                    return false;
                default:
                    problems.add("context '" + key + "': '" + value.get() + "' is not true or false");
                    return fallback;
            }
        }

        Path path(String key, Path base, Path fallback) {
            return raw(key).map(p -> base.resolve(p).normalize()).orElse(fallback);
        }

        List<String> documents() {
            Object value = context.apply(Keys.ALLOWED_DOCUMENTS);
            List<String> names;
            if (value == null) {
                return DEFAULT_ALLOWED_DOCUMENTS;
            } else if (value instanceof List<?> list) {
                names = list.stream().map(o -> String.valueOf(o).trim()).toList();
            } else {
                names = Arrays.stream(value.toString().split(",")).map(String::trim).toList();
            }
            List<String> accepted = new ArrayList<>(new LinkedHashSet<>(names));
            accepted.removeIf(String::isEmpty);
            if (accepted.isEmpty()) {
                problems.add("context '" + Keys.ALLOWED_DOCUMENTS + "': no document given; name at least one, comma-separated,"
                        + " for example AWS-RunShellScript,MyOrg-Patch (default " + String.join(",", DEFAULT_ALLOWED_DOCUMENTS) + ")");
                return DEFAULT_ALLOWED_DOCUMENTS;
            }
            for (String name : accepted) {
                if (!DOCUMENT_NAME.matcher(name).matches() && !DOCUMENT_ARN.matcher(name).matches()) {
                    problems.add("context '" + Keys.ALLOWED_DOCUMENTS + "': '" + name + "' is not an SSM document name"
                            + " (3-128 letters, digits, _ - .) or a document ARN");
                }
            }
            return accepted;
        }

        Optional<InstanceTag> instanceTag() {
            Optional<String> value = raw(Keys.INSTANCE_TAG);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            String text = value.get();
            int eq = text.indexOf('=');
            String key = eq < 0 ? text : text.substring(0, eq).trim();
            String tagValue = eq < 0 ? "" : text.substring(eq + 1).trim();
            if (eq < 0 || !TAG_KEY.matcher(key).matches() || !TAG_VALUE.matcher(tagValue).matches()) {
                problems.add("context '" + Keys.INSTANCE_TAG + "': '" + text + "' is not key=value, for example fleetrun:managed=true");
                return Optional.empty();
            }
            return Optional.of(new InstanceTag(key, tagValue));
        }
    }
}
