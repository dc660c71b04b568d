package dev.fleetrun.domain;

import static dev.fleetrun.domain.JsonReader.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.regex.Pattern;

/** Reads a run request's {@code output} (the rules are in {@link RunRequestParser}). */
final class OutputReader {

    static final int MAX_KEY_PREFIX_LENGTH = 500;
    static final Pattern BUCKET = Pattern.compile("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");
    static final Pattern IP_ADDRESS = Pattern.compile("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$");
    static final Pattern LOG_GROUP = Pattern.compile("^[.\\-_/#A-Za-z0-9]{1,512}$");

    private static final List<String> FIELDS = List.of("s3Bucket", "s3KeyPrefix", "cloudWatchLogGroup");

    private OutputReader() {
    }

    /** The output settings, or {@code null} when any part is wrong. */
    static OutputSpec output(JsonNode n, Problems p) {
        ObjectNode o = JsonReader.object(n, "output",
                "{\"s3Bucket\": \"ops-output\", \"s3KeyPrefix\": \"fleetrun\", \"cloudWatchLogGroup\": \"/fleetrun/output\"}", p);
        if (o == null) {
            return null;
        }
        int before = p.count();
        JsonReader.unknownFields(o, "output", FIELDS, p);
        String bucket = text(o, "s3Bucket", p);
        if (bucket != null && bucketProblem(bucket) instanceof String problem) {
            p.add("output.s3Bucket", problem);
        }
        String prefix = text(o, "s3KeyPrefix", p);
        if (prefix != null && prefix.length() > MAX_KEY_PREFIX_LENGTH) {
            p.add("output.s3KeyPrefix", "must be at most " + MAX_KEY_PREFIX_LENGTH + " characters, got " + prefix.length());
        }
        if (field(o, "s3KeyPrefix") != null && field(o, "s3Bucket") == null) {
            p.add("output.s3KeyPrefix", "needs output.s3Bucket: the prefix is a folder inside that bucket");
        }
        String logGroup = text(o, "cloudWatchLogGroup", p);
        if (logGroup != null && !LOG_GROUP.matcher(logGroup).matches()) {
            p.add("output.cloudWatchLogGroup", "must be a CloudWatch Logs group name: 1 to 512 letters, digits and"
                    + " . - _ / #, such as \"/fleetrun/output\", got \"" + logGroup + "\"");
        }
        if (field(o, "s3Bucket") == null && field(o, "cloudWatchLogGroup") == null) {
            p.add("output", "give s3Bucket, cloudWatchLogGroup or both; leave output out to keep only SSM's"
                    + " output excerpt");
        }
        return p.count() == before ? new OutputSpec(bucket, prefix, logGroup) : null;
    }

    private static String text(ObjectNode o, String name, Problems p) {
        JsonNode n = field(o, name);
        return n == null ? null : JsonReader.string(n, "output." + name, p);
    }

    /** Why {@code bucket} breaks S3's bucket naming rules, or {@code null} when it follows them. */
    static String bucketProblem(String bucket) {
        String rules = "must be an S3 bucket name: 3 to 63 lower-case letters, digits, dots and hyphens, starting and"
                + " ending with a letter or digit, got \"" + bucket + "\"";
        if (!BUCKET.matcher(bucket).matches()) {
            return rules;
        }
        if (bucket.contains("..")) {
            return "must not have two dots in a row, got \"" + bucket + "\"";
        }
        if (IP_ADDRESS.matcher(bucket).matches()) {
            return "must not look like an IP address, got \"" + bucket + "\"";
        }
        for (String prefix : List.of("xn--", "sthree-", "amzn-s3-demo-")) {
            if (bucket.startsWith(prefix)) {
                return "must not start with \"" + prefix + "\" (reserved by S3), got \"" + bucket + "\"";
            }
        }
        for (String suffix : List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")) {
            if (bucket.endsWith(suffix)) {
                return "must not end with \"" + suffix + "\" (reserved by S3), got \"" + bucket + "\"";
            }
        }
        return null;
    }
}
