package dev.fleetrun.local.integrations;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The {@code SdkHttpMetadata} and {@code SdkResponseMetadata} members Step Functions adds to the result of its
 * optimized SNS and DynamoDB integrations (it calls them with the AWS SDK for Java and shows the response
 * metadata): {@code {"AllHttpHeaders": {name: [values]}, "HttpHeaders": {name: value}, "HttpStatusCode": 200}}
 * and {@code {"RequestId": ...}}.
 */
final class SdkMetadata {
    private SdkMetadata() {
    }

    static void add(ObjectNode result, Map<String, List<String>> headers, int status, String requestId) {
        ObjectNode http = result.putObject("SdkHttpMetadata");
        ObjectNode all = http.putObject("AllHttpHeaders");
        ObjectNode first = http.putObject("HttpHeaders");
        headers.forEach((name, values) -> {
            values.forEach(all.putArray(name)::add);
            if (!values.isEmpty()) {
                first.put(name, values.get(0));
            }
        });
        http.put("HttpStatusCode", status);
        result.putObject("SdkResponseMetadata").put("RequestId", requestId);
    }

    /** The headers every answer of the runtime's services carries. */
    static Map<String, List<String>> headers(String contentType, String requestId) {
        return Map.of("Content-Type", List.of(contentType), "x-amzn-RequestId", List.of(requestId));
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** Step Functions' cause for a service error, as the Java SDK prints it. */
    static String cause(String message, String service, int status, String code, String requestId) {
        return message + " (Service: " + service + "; Status Code: " + status + "; Error Code: " + code
                + "; Request ID: " + requestId + "; Proxy: null)";
    }
}
