package dev.fleetrun.local.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One request an {@link AwsServer} received, as the SDK sent it, with how it was answered.
 *
 * @param service   the service that took it ("ssm", "sfn", "events", "sns", "cloudwatch", ...), or
 *                  what the request named when no service matched
 * @param operation the operation name, e.g. {@code SendCommand}
 * @param input     the request members, decoded from JSON, CBOR or the form (Query members are flat
 *                  strings, e.g. {@code MessageAttributes.entry.1.Name}); null when the body could not
 *                  be decoded
 * @param headers   the HTTP request headers, names as the JDK server normalises them ({@code X-amz-target});
 *                  read them with {@link #header}
 * @param status    the HTTP status of the answer
 * @param errorCode the error code answered, or null when the call succeeded
 * @param elapsed   from the request's arrival to its answer (for a forwarded service, the upstream's time too)
 */
public record RecordedRequest(String service, String operation, JsonNode input,
                              Map<String, List<String>> headers, int status, String errorCode, Duration elapsed) {

    /** The first value of a request header, whatever the case of {@code name}; null when absent. */
    public String header(String name) {
        return headers.entrySet().stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty())
                .map(entry -> entry.getValue().get(0))
                .findFirst().orElse(null);
    }

    /** Whether the call was answered with success. */
    public boolean succeeded() {
        return errorCode == null;
    }
}
