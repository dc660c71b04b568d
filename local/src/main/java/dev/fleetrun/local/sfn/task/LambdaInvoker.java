package dev.fleetrun.local.sfn.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.sfn.errors.AslError;
import dev.fleetrun.local.sfn.json.Json;
import java.util.UUID;

/**
 * Calls Lambda functions the way Step Functions does, for both forms of a Lambda task:
 * <ul>
 *   <li>a function ARN as the resource: the function gets the task input, and its response is the result;</li>
 *   <li>{@code arn:aws:states:::lambda:invoke} (optionally {@code .waitForTaskToken}): the input holds
 *       {@code FunctionName} and {@code Payload}, and the result is the Invoke response
 *       {@code {"ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode": 200}}.</li>
 * </ul>
 * A function error becomes a task error named by its {@code errorType}, with the Lambda error object
 * {@code {"errorMessage", "errorType", "stackTrace"}} as the cause. A function that does not exist fails
 * with {@code Lambda.ResourceNotFoundException}.
 */
public final class LambdaInvoker implements TaskInvoker {

    private final LambdaFunctions functions;

    public LambdaInvoker(LambdaFunctions functions) {
        this.functions = functions;
    }

    @Override
    public JsonNode invoke(TaskRequest request) {
        Resource resource = request.resource();
        if (resource.kind() == Resource.Kind.LAMBDA_FUNCTION) {
            return call(resource.action(), resource.arn(), request.input());
        }
        JsonNode input = request.input();
        JsonNode functionName = input.get("FunctionName");
        if (functionName == null || !functionName.isTextual()) {
            throw AslError.of("Lambda.InvalidParameterValueException",
                    "lambda:invoke needs a string 'FunctionName' in Parameters, got " + Json.excerpt(input));
        }
        JsonNode payload = input.has("Payload") ? input.get("Payload") : Json.object();
        if (payload.isTextual()) {
            try {
                payload = Json.parse(payload.textValue());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // a string payload that is not JSON text is sent as the string itself
            }
        }
        JsonNode result = call(functionNameOf(functionName.textValue()), functionName.textValue(), payload);
        return invokeResponse(result);
    }

    /** The function name in a name, a partial ARN ({@code 123456789012:function:name}) or a full ARN, without qualifier. */
    static String functionNameOf(String nameOrArn) {
        int at = nameOrArn.indexOf("function:");
        String rest = at >= 0 ? nameOrArn.substring(at + "function:".length()) : nameOrArn;
        int colon = rest.indexOf(':');
        return colon >= 0 ? rest.substring(0, colon) : rest;
    }

    private JsonNode call(String name, String asWritten, JsonNode payload) {
        LambdaFunctions.Function function = functions.find(name).orElseThrow(() -> AslError.of(
                "Lambda.ResourceNotFoundException",
                "Function not found: " + asWritten + " (Service: Lambda, Status Code: 404). The embedded runtime "
                        + "has no function named '" + name + "'."));
        try {
            JsonNode result = function.handle(payload);
            return result == null ? com.fasterxml.jackson.databind.node.NullNode.instance : result;
        } catch (LambdaFunctionError e) {
            throw AslError.of(e.errorType(), errorObject(e.errorType(), e.getMessage()));
        } catch (AslError e) {
            throw e;
        } catch (Exception e) {
            String type = e.getClass().getName();
            throw AslError.of(type, errorObject(type, e.getMessage()));
        }
    }

    private static String errorObject(String type, String message) {
        ObjectNode error = Json.object();
        error.put("errorMessage", message == null ? "" : message);
        error.put("errorType", type);
        error.putArray("stackTrace");
        return Json.text(error);
    }

    private static JsonNode invokeResponse(JsonNode payload) {
        String requestId = UUID.randomUUID().toString();
        ObjectNode response = Json.object();
        response.put("ExecutedVersion", "$LATEST");
        response.set("Payload", payload);
        ObjectNode http = response.putObject("SdkHttpMetadata");
        ObjectNode headers = http.putObject("HttpHeaders");
        headers.put("Connection", "keep-alive");
        headers.put("Content-Type", "application/json");
        headers.put("X-Amz-Executed-Version", "$LATEST");
        headers.put("x-amzn-RequestId", requestId);
        http.put("HttpStatusCode", 200);
        response.putObject("SdkResponseMetadata").put("RequestId", requestId);
        response.put("StatusCode", 200);
        return response;
    }
}
