package dev.fleetrun.local.ssm;

import static dev.fleetrun.local.wire.RequestFields.checkLength;
import static dev.fleetrun.local.wire.RequestFields.checkPattern;
import static dev.fleetrun.local.wire.RequestFields.checkRange;
import static dev.fleetrun.local.wire.RequestFields.checkSize;
import static dev.fleetrun.local.wire.RequestFields.optionalInt;
import static dev.fleetrun.local.wire.RequestFields.optionalText;
import static dev.fleetrun.local.wire.RequestFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.RequestFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SendCommand request, read and checked against SSM's model: DocumentName (pattern), DocumentVersion
 * (pattern), InstanceIds (1 to 50, each of SSM's id form, none twice) or Targets (1 to 5 keys, at most
 * 50 values each), not both; Comment at most 100 characters; TimeoutSeconds 30 to 2592000 (default
 * 3600); the MaxConcurrency and MaxErrors patterns (defaults "50" and "0"); the S3 output location's
 * lengths and the CloudWatch Logs group's name (1 to 512 of {@code [.\-_/#A-Za-z0-9]}). A violation is the {@code ValidationException} SSM answers. What needs the service's state
 * (the document exists and takes these parameters, the nodes are registered) is the service's to check.
 *
 * @param request the request members as sent
 */
public record SendCommandInput(JsonNode request, String documentName, String documentVersion, List<String> instanceIds,
                               List<CommandTarget> targets, String comment, int timeoutSeconds, RateControl rateControl,
                               Map<String, List<String>> parameters) {
    public static final String DOCUMENT_NAME_PATTERN = "^[a-zA-Z0-9_\\-.:/]{3,128}$";
    public static final String DOCUMENT_VERSION_PATTERN = "([$]LATEST|[$]DEFAULT|^[1-9][0-9]*$)";
    public static final int DEFAULT_TIMEOUT_SECONDS = 3600;

    public SendCommandInput {
        instanceIds = List.copyOf(instanceIds);
        targets = List.copyOf(targets);
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public static SendCommandInput parse(JsonNode input) {
        String documentName = requiredText(input, "DocumentName");
        checkPattern("DocumentName", documentName, DOCUMENT_NAME_PATTERN);
        String documentVersion = optionalText(input, "DocumentVersion", null);
        checkPattern("DocumentVersion", documentVersion, DOCUMENT_VERSION_PATTERN);
        List<CommandTarget> targets = targets(input);
        List<String> instanceIds = SsmRequests.instanceIds(input, "InstanceIds", targets.isEmpty() ? 1 : 0);
        if (!targets.isEmpty() && !instanceIds.isEmpty()) {
            throw AwsError.of("ValidationException", "Specify either InstanceIds or Targets, not both.");
        }
        String comment = optionalText(input, "Comment", "");
        checkLength("Comment", comment, 0, 100);
        Integer timeoutSeconds = optionalInt(input, "TimeoutSeconds");
        checkRange("TimeoutSeconds", timeoutSeconds, 30, 2592000);
        String maxConcurrency = optionalText(input, "MaxConcurrency", RateControl.DEFAULT_MAX_CONCURRENCY);
        checkLength("MaxConcurrency", maxConcurrency, 1, 7);
        checkPattern("MaxConcurrency", maxConcurrency, RateControl.MAX_CONCURRENCY_PATTERN);
        String maxErrors = optionalText(input, "MaxErrors", RateControl.DEFAULT_MAX_ERRORS);
        checkLength("MaxErrors", maxErrors, 1, 7);
        checkPattern("MaxErrors", maxErrors, RateControl.MAX_ERRORS_PATTERN);
        checkLength("OutputS3BucketName", optionalText(input, "OutputS3BucketName", null), 3, 63);
        checkLength("OutputS3KeyPrefix", optionalText(input, "OutputS3KeyPrefix", null), 0, 500);
        String logGroup = optionalText(input.path("CloudWatchOutputConfig"), "CloudWatchLogGroupName", null);
        checkLength("cloudWatchOutputConfig.cloudWatchLogGroupName", logGroup, 1, 512);
        checkPattern("cloudWatchOutputConfig.cloudWatchLogGroupName", logGroup, "[\\.\\-_/#A-Za-z0-9]+");
        return new SendCommandInput(input, documentName, documentVersion == null ? "" : documentVersion, instanceIds,
                targets, comment, timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds,
                new RateControl(maxConcurrency, maxErrors), SsmRequests.parameters(input));
    }

    private static List<CommandTarget> targets(JsonNode input) {
        List<JsonNode> entries = RequestFields.objects(input, "Targets");
        checkSize("Targets", entries, 0, 5);
        List<CommandTarget> targets = new ArrayList<>();
        for (JsonNode entry : entries) {
            String key = requiredText(entry, "Key");
            checkLength("Targets.member.Key", key, 1, 163);
            List<String> values = RequestFields.textList(entry, "Values");
            checkSize("Targets.member.Values", values, 0, 50);
            targets.add(new CommandTarget(key, values));
        }
        return targets;
    }
}
