package dev.fleetrun.local.ssm;

import static dev.fleetrun.local.wire.RequestFields.checkLength;
import static dev.fleetrun.local.wire.RequestFields.checkPattern;
import static dev.fleetrun.local.wire.RequestFields.checkRange;
import static dev.fleetrun.local.wire.RequestFields.checkSize;
import static dev.fleetrun.local.wire.RequestFields.optionalInt;
import static dev.fleetrun.local.wire.RequestFields.optionalText;
import static dev.fleetrun.local.wire.RequestFields.requiredText;
import static dev.fleetrun.local.wire.RequestFields.textList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.Page;
import dev.fleetrun.local.wire.RequestFields;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Request members the Run Command operations share, read and checked against SSM's model with the
 * errors SSM answers: instance id lists (1 to 50, the id pattern, {@code DuplicateInstanceId}),
 * command ids (36 characters), MaxResults ranges, document parameters, NextToken paging.
 */
public final class SsmRequests {
    private SsmRequests() {
    }

    /** A list of instance ids: {@code min} to 50 of them, each of SSM's id form, none twice. */
    public static List<String> instanceIds(JsonNode input, String field, int min) {
        List<String> ids = textList(input, field);
        checkSize(field, ids, min, 50);
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            checkPattern(field + ".member", id, ManagedNode.ID_PATTERN);
            if (!seen.add(id)) {
                throw AwsError.of("DuplicateInstanceId", "Instance " + id + " appears more than once in " + field);
            }
        }
        return ids;
    }

    /** The document parameters, each a list of strings, in the order sent. */
    public static Map<String, List<String>> parameters(JsonNode input) {
        return RequestFields.textListMap(input, "Parameters");
    }

    /** The CommandId member: 36 characters; null when optional and absent. */
    public static String commandId(JsonNode input, boolean required) {
        String commandId = required ? requiredText(input, "CommandId") : optionalText(input, "CommandId", null);
        checkLength("CommandId", commandId, 36, 36);
        return commandId;
    }

    public static int maxResults(JsonNode input, int min, int max, int fallback) {
        Integer maxResults = optionalInt(input, "MaxResults");
        checkRange("MaxResults", maxResults, min, max);
        return maxResults == null ? fallback : maxResults;
    }

    /** Adds the page's NextToken to an answer, when there is a next page. */
    public static ObjectNode withNextToken(ObjectNode answer, Page<?> page) {
        if (page.nextToken() != null) {
            answer.put("NextToken", page.nextToken());
        }
        return answer;
    }
}
