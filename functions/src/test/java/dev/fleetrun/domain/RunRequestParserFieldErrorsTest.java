package dev.fleetrun.domain;

import static dev.fleetrun.domain.TestJson.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every field's rules, one invalid value at a time: each case sets fields on a valid request and expects exactly
 * one error, on the named field path, whose reason contains the given words.
 */
class RunRequestParserFieldErrorsTest {

    private static final RunRequestParser PARSER = new RunRequestParser(RunRequestParser.DEFAULT_ALLOWED_DOCUMENTS);
    private static final String VALID = "{'instanceIds': ['i-0123456789abcdef0'], 'commands': ['uptime']}";
    private static final String TARGETS = "'instanceIds': null, 'targets': ";
    private static final String DOCUMENT = "'commands': null, 'document': ";

    static Arguments invalid(String fields, String field, String reason) {
        return Arguments.of(fields, field, reason);
    }

    static String tagTarget(String values) {
        return TARGETS + "[{'key': 'tag:Role', 'values': " + values + "}]";
    }

    static String values(int n) {
        return "[" + String.join(", ", java.util.Collections.nCopies(n, "'v'")) + "]";
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                invalid("'version': 2", "version", "must be 1 (the only request version"),
                invalid("'version': '1'", "version", "got a string"),
                invalid("'name': 'has space'", "name", "1 to 64 letters, digits, dots, hyphens or underscores"),
                invalid("'name': ''", "name", "got \"\""),
                invalid("'name': '" + "n".repeat(65) + "'", "name", "1 to 64"),
                invalid("'name': 42", "name", "must be a string, got a number"),

                invalid(TARGETS + "[]", "targets", "must have 1 to 5 filters (SSM's limit), got 0; a run needs at least one node"),
                invalid(TARGETS + "'tag:Role=web'", "targets", "must be a list such as"),
                invalid(TARGETS + "[" + String.join(", ", java.util.Collections.nCopies(6,
                        "{'key': 'tag:Role', 'values': ['web']}")) + "]", "targets", "got 6"),
                invalid(TARGETS + "['tag:Role']", "targets[0]", "must be an object such as"),
                invalid(TARGETS + "[{'key': 'Name', 'values': ['web']}]", "targets[0].key",
                        "must be one of \"tag:<tag key>\", \"tag-key\", \"resource-groups:Name\" or"
                                + " \"resource-groups:ResourceTypeFilters\", got \"Name\""),
                invalid(TARGETS + "[{'key': 'Tag:Role', 'values': ['web']}]", "targets[0].key", "case-sensitive"),
                invalid(TARGETS + "[{'key': 'InstanceIds', 'values': ['i-0123456789abcdef0']}]", "targets[0].key",
                        "request's instanceIds field"),
                invalid(TARGETS + "[{'key': 'tag:', 'values': ['web']}]", "targets[0].key", "1 to 128 characters, got 0"),
                invalid(TARGETS + "[{'key': 'tag:" + "k".repeat(129) + "', 'values': ['web']}]", "targets[0].key", "got 129"),
                invalid(TARGETS + "[{'key': 42, 'values': ['web']}]", "targets[0].key", "must be a string"),
                invalid(TARGETS + "[{'values': ['web']}]", "targets[0].key", "is required"),
                invalid(TARGETS + "[{'key': 'tag:Role'}]", "targets[0].values", "is required"),
                invalid(tagTarget("[]"), "targets[0].values", "must have 1 to 50 entries, got 0"),
                invalid(tagTarget(values(51)), "targets[0].values", "got 51"),
                invalid(tagTarget("['web', ' ']"), "targets[0].values[1]", "must not be blank"),
                invalid(tagTarget("['web', 7]"), "targets[0].values[1]", "must be a string, got a number"),
                invalid(tagTarget("'web'"), "targets[0].values", "wrap the value in a list: [\"web\"]"),
                invalid(TARGETS + "[{'key': 'resource-groups:Name', 'values': ['a', 'b']}]", "targets[0].values",
                        "exactly one resource group name"),
                invalid(TARGETS + "[{'key': 'tag:Role', 'values': ['web'], 'Values': ['api']}]", "targets[0].Values",
                        "unknown field; did you mean \"values\"?"),
                invalid(TARGETS + "[{'key': 'tag:Role', 'values': ['web']}, {'key': 'tag:Role', 'values': ['api']}]",
                        "targets[1].key", "already used by targets[0]"),

                invalid("'instanceIds': []", "instanceIds", "got none"),
                invalid("'instanceIds': 'i-0123456789abcdef0'", "instanceIds", "wrap the value in a list"),
                invalid("'instanceIds': ['i-123']", "instanceIds[0]", "is not a managed node id"),
                invalid("'instanceIds': ['I-0123456789ABCDEF0']", "instanceIds[0]", "lower-case hex"),
                invalid("'instanceIds': ['mi-0123456789abcdef']", "instanceIds[0]", "mi- followed by 17"),
                invalid("'instanceIds': [42]", "instanceIds[0]", "must be a string"),
                invalid("'instanceIds': ['i-01234567', 'i-01234567']", "instanceIds[1]", "listed twice"),

                invalid(DOCUMENT + "'AWS-RunShellScript'", "document", "must be an object such as"),
                invalid(DOCUMENT + "{'parameters': {}}", "document.name", "is required"),
                invalid(DOCUMENT + "{'name': 'ab'}", "document.name", "not an SSM document name"),
                invalid(DOCUMENT + "{'name': 'My Doc'}", "document.name", "not an SSM document name"),
                invalid(DOCUMENT + "{'name': 'AWS-ConfigureAWSPackage'}", "document.name", "FLEETRUN_ALLOWED_DOCUMENTS"),
                invalid(DOCUMENT + "{'name': 'AWS-RunShellScript', 'version': '$NEWEST', 'parameters': {'commands': ['x']}}",
                        "document.version", "\"$DEFAULT\", \"$LATEST\" or a version number"),
                invalid(DOCUMENT + "{'name': 'AWS-RunShellScript', 'version': '0', 'parameters': {'commands': ['x']}}",
                        "document.version", "got \"0\""),
                invalid(DOCUMENT + "{'name': 'AWS-RunShellScript', 'version': 3, 'parameters': {'commands': ['x']}}",
                        "document.version", "must be a string: \"$DEFAULT\", \"$LATEST\" or a version number in quotes such as"
                                + " \"3\", got the number 3 (write \"3\")"),
                invalid(DOCUMENT + "{'name': 'AWS-RunShellScript', 'version': 2.5, 'parameters': {'commands': ['x']}}",
                        "document.version", "got the number 2.5"),
                invalid(DOCUMENT + "{'name': 'AWS-RunShellScript', 'version': true, 'parameters': {'commands': ['x']}}",
                        "document.version", "got a boolean"),
                invalid(DOCUMENT + "{'name': 'AWS-RunShellScript', 'parameters': ['uptime']}", "document.parameters",
                        "must be an object such as"),
                invalid(DOCUMENT + "{'name': 'AWS-RunShellScript', 'parameters': {'commands': [{'line': 'x'}]}}",
                        "document.parameters.commands[0]", "must be a string, got an object"),
                invalid(DOCUMENT + "{'name': 'AWS-RunShellScript', 'parameters': {'commands': ['x'], 'executionTimeout': 600}}",
                        "document.parameters.executionTimeout", "wrap the value in a list: [\"600\"]"),
                invalid(DOCUMENT + "{'name': 'AWS-RunShellScript', 'parameters': {}}", "document.parameters.commands",
                        "is required: AWS-RunShellScript runs the lines in commands"),
                invalid(DOCUMENT + "{'name': 'AWS-RunPowerShellScript', 'parameters': {'commands': []}}",
                        "document.parameters.commands", "is required"),
                invalid(DOCUMENT + "{'name': 'AWS-RunShellScript', 'parameters': {'commands': ['x'], 'executionTimeout': ['0']}}",
                        "document.parameters.executionTimeout", "from 1 to 172800"),
                invalid(DOCUMENT + "{'name': 'AWS-RunShellScript', 'parameters': {'commands': ['x'], 'executionTimeout': ['172801']}}",
                        "document.parameters.executionTimeout", "or leave it out and set timeoutSeconds"),
                invalid(DOCUMENT + "{'name': 'AWS-RunShellScript', 'parameters': {'commands': ['x'], 'executionTimeout': ['60', '70']}}",
                        "document.parameters.executionTimeout", "must be one number"),
                invalid(DOCUMENT + "{'name': 'AWS-RunShellScript', 'parameters': {'commands': ['x']}, 'parameter': {}}",
                        "document.parameter", "did you mean \"parameters\"?"),
                invalid(DOCUMENT + "{'name': 'AWS-RunShellScript', 'parameters': {'commands': ['x']}, 'timeout': 5}",
                        "document.timeout", "unknown field. Known fields of document: name, version, parameters"),

                invalid("'commands': []", "commands", "must have at least 1 entry, got 0"),
                invalid("'commands': 'uptime'", "commands", "wrap the value in a list: [\"uptime\"]"),
                invalid("'commands': ['uptime', '']", "commands[1]", "must not be blank"),
                invalid("'commands': [['uptime']]", "commands[0]", "must be a string, got an array"),

                invalid("'maxConcurrency': '0'", "maxConcurrency", "at least 1"),
                invalid("'maxConcurrency': 0", "maxConcurrency", "got \"0\""),
                invalid("'maxConcurrency': '0%'", "maxConcurrency", "from 1% to 100%"),
                invalid("'maxConcurrency': '101%'", "maxConcurrency", "got \"101%\""),
                invalid("'maxConcurrency': '25 %'", "maxConcurrency", "remove the spaces"),
                invalid("'maxConcurrency': '12345678'", "maxConcurrency", "got \"12345678\""),
                invalid("'maxConcurrency': true", "maxConcurrency", "must be a string such as \"10\" or \"25%\", got a boolean"),
                invalid("'maxConcurrency': -3", "maxConcurrency", "got \"-3\""),
                invalid("'maxErrors': '-1'", "maxErrors", "at least 0"),
                invalid("'maxErrors': '101%'", "maxErrors", "from 0% to 100%"),
                invalid("'maxErrors': ['1']", "maxErrors", "must be a string such as \"2\" or \"10%\", got an array"),
                invalid("'maxErrors': 1.5", "maxErrors", "got a number (1.5)"),

                invalid("'waves': []", "waves", "leave waves out for the default plan"),
                invalid("'waves': '10%'", "waves", "must be a list such as"),
                invalid("'waves': " + values(101).replace("'v'", "1"), "waves", "must have 1 to 100 entries, got 101"),
                invalid("'waves': [1, 0]", "waves[1]", "at least 1"),
                invalid("'waves': ['0%']", "waves[0]", "from 1% to 100%"),
                invalid("'waves': ['101%']", "waves[0]", "got \"101%\""),
                invalid("'waves': [1.5]", "waves[0]", "got 1.5"),
                invalid("'waves': [true]", "waves[0]", "got a boolean"),
                invalid("'waves': [3, 2]", "waves[1]", "wave 2 (2) is smaller than wave 1 (3): waves must not shrink. Each"
                        + " entry is the size of one wave, not a running total (the last wave takes the rest); for 3 then the"
                        + " rest, write [3, \"100%\"]"),
                invalid("'waves': [1, '50%', '10%']", "waves[2]", "wave 3 (10%) is smaller than wave 2 (50%)"),

                invalid("'bakeSeconds': -1", "bakeSeconds", "must be from 0 to 86400 seconds, got -1"),
                invalid("'bakeSeconds': 86401", "bakeSeconds", "got 86401"),
                invalid("'bakeSeconds': '30'", "bakeSeconds", "write 30 without quotes"),
                invalid("'bakeSeconds': 1.5", "bakeSeconds", "whole number of seconds"),
                invalid("'bakeSeconds': 99999999999", "bakeSeconds", "must be from 0 to 86400"),
                invalid("'approvalAfterWave': -1", "approvalAfterWave", "must be from 0 to 1000 waves"),
                invalid("'approvalAfterWave': 1001", "approvalAfterWave", "got 1001"),
                invalid("'approvalAfterWave': true", "approvalAfterWave", "got a boolean"),

                invalid("'alarms': " + values(6), "alarms", "must have 0 to 5 entries, got 6"),
                invalid("'alarms': 'web-5xx-high'", "alarms", "wrap the value in a list"),
                invalid("'alarms': ['']", "alarms[0]", "must not be blank"),
                invalid("'alarms': ['" + "a".repeat(256) + "']", "alarms[0]", "at most 255 characters"),
                invalid("'alarms': ['web-5xx-high', 'web-5xx-high']", "alarms[1]", "listed twice"),

                invalid("'rollback': ['undo']", "rollback", "must be an object such as"),
                invalid("'rollback': {}", "rollback", "needs commands"),
                invalid("'rollback': {'commands': []}", "rollback.commands", "must have at least 1 entry"),
                invalid("'rollback': {'commands': ['undo'], 'scope': 'all'}", "rollback.scope",
                        "must be \"succeeded\""),
                invalid("'rollback': {'commands': ['undo'], 'scope': 1}", "rollback.scope", "must be a string"),
                invalid("'rollback': {'document': {'name': 'AWS-RunShellScript'}}", "rollback.document.parameters.commands",
                        "is required"),

                invalid("'timeoutSeconds': 4", "timeoutSeconds", "must be from 5 to 172800 seconds, got 4"),
                invalid("'timeoutSeconds': 172801", "timeoutSeconds", "got 172801"),
                invalid("'timeoutSeconds': '600'", "timeoutSeconds", "write 600 without quotes"),

                invalid("'output': 's3://bucket'", "output", "must be an object such as"),
                invalid("'output': {}", "output", "give s3Bucket, cloudWatchLogGroup or both"),
                invalid("'output': {'s3Bucket': 'Ops_Output'}", "output.s3Bucket", "must be an S3 bucket name"),
                invalid("'output': {'s3Bucket': 'ab'}", "output.s3Bucket", "3 to 63"),
                invalid("'output': {'s3Bucket': '" + "b".repeat(64) + "'}", "output.s3Bucket", "3 to 63"),
                invalid("'output': {'s3Bucket': '-bucket'}", "output.s3Bucket", "starting and ending with a letter or digit"),
                invalid("'output': {'s3Bucket': 'my..bucket'}", "output.s3Bucket", "two dots in a row"),
                invalid("'output': {'s3Bucket': '192.168.1.1'}", "output.s3Bucket", "IP address"),
                invalid("'output': {'s3Bucket': 'xn--bucket'}", "output.s3Bucket", "reserved by S3"),
                invalid("'output': {'s3Bucket': 'bucket-s3alias'}", "output.s3Bucket", "reserved by S3"),
                invalid("'output': {'s3Bucket': 5}", "output.s3Bucket", "must be a string, got a number"),
                invalid("'output': {'s3KeyPrefix': 'runs', 'cloudWatchLogGroup': '/fleetrun'}", "output.s3KeyPrefix",
                        "needs output.s3Bucket"),
                invalid("'output': {'s3Bucket': 'ops-output', 's3KeyPrefix': '" + "p".repeat(501) + "'}",
                        "output.s3KeyPrefix", "at most 500 characters, got 501"),
                invalid("'output': {'cloudWatchLogGroup': 'bad group!'}", "output.cloudWatchLogGroup",
                        "CloudWatch Logs group name"),
                invalid("'output': {'cloudWatchLogGroup': '" + "g".repeat(513) + "'}", "output.cloudWatchLogGroup",
                        "1 to 512"),
                invalid("'output': {'s3Bucket': 'ops-output', 'bucket': 'x'}", "output.bucket",
                        "Known fields of output: s3Bucket, s3KeyPrefix, cloudWatchLogGroup"),

                invalid("'comment': '" + "c".repeat(257) + "'", "comment", "at most 256 characters, got 257"),
                invalid("'comment': 5", "comment", "must be a string"),
                invalid("'comment': 'deploy\\u0000v2'", "comment", "must be plain text on one line, but character 7 is a"
                        + " control character (a NUL byte); remove it"),
                invalid("'comment': 'two\\nlines'", "comment", "character 4 is a control character (a line break)"),
                invalid("'comment': 'bell\\u0007'", "comment", "(U+0007)"),
                invalid("'dryRun': 'true'", "dryRun", "write true or false without quotes"),
                invalid("'dryRun': 1", "dryRun", "must be true or false, got a number"),
                invalid("'trigger': 'schedule'", "trigger", "must be an object"),
                invalid("'maxConcurency': '5'", "maxConcurency", "did you mean \"maxConcurrency\"?"),
                invalid("'DryRun': true", "DryRun", "did you mean \"dryRun\"?"));
    }

    @ParameterizedTest(name = "[{index}] {1}: {0}")
    @MethodSource("cases")
    void rejectsTheFieldWithAReason(String fields, String field, String reason) {
        ObjectNode request = object(VALID);
        request.setAll(object("{" + fields + "}"));

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PARSER.parse(request));

        assertEquals(1, e.errors().size(), "exactly one error expected: " + e.getMessage());
        assertEquals(field, e.errors().get(0).field(), e.getMessage());
        assertTrue(e.errors().get(0).reason().contains(reason), "reason \"" + e.errors().get(0).reason()
                + "\" should contain \"" + reason + "\"");
    }
}
