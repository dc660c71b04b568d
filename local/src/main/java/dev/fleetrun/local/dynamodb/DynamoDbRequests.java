package dev.fleetrun.local.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.wire.AwsError;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;

/**
 * The checks DynamoDB's front end makes before DynamoDB Local sees a relayed request: the operation is one of
 * DynamoDB's ({@code UnknownOperationException} otherwise), and every member has its type in DynamoDB's model, as
 * the AWS SDK for Java carries it ({@code SerializationException} otherwise: a number where {@code TableName}'s
 * string belongs, a string where an item's map does). DynamoDB Local answers such requests with HTTP 500
 * {@code InternalFailure}, where DynamoDB answers 400; the checks make the endpoint answer as DynamoDB does.
 * Members the model does not name are left to DynamoDB Local.
 */
public final class DynamoDbRequests {
    private static final String MODEL_PACKAGE = "software.amazon.awssdk.services.dynamodb.model.";
    private static final Map<String, List<SdkField<?>>> OPERATIONS = new ConcurrentHashMap<>();

    private DynamoDbRequests() {
    }

    /** Refuses a request DynamoDB's front end would refuse for its operation or its members' types. */
    public static void check(String operation, JsonNode input) {
        List<SdkField<?>> fields = fields(operation);
        if (fields == null) {
            throw AwsError.of("UnknownOperationException", "DynamoDB has no operation '"
                    + (operation.length() > 80 ? operation.substring(0, 80) + "..." : operation) + "'.");
        }
        checkMembers(fields, input, "");
    }

    private static List<SdkField<?>> fields(String operation) {
        if (!operation.matches("[A-Z][A-Za-z]{1,63}")) {
            return null;
        }
        List<SdkField<?>> known = OPERATIONS.get(operation);
        if (known != null) {
            return known;
        }
        try {
            Class<?> request = Class.forName(MODEL_PACKAGE + operation + "Request");
            if (!DynamoDbRequest.class.isAssignableFrom(request) || request == DynamoDbRequest.class) {
                return null;
            }
            List<SdkField<?>> fields = ((SdkPojo) request.getMethod("builder").invoke(null)).sdkFields();
            OPERATIONS.put(operation, fields); // only DynamoDB's own operations are kept: a bounded set
            return fields;
        } catch (ReflectiveOperationException | ClassCastException e) {
            return null;
        }
    }

    private static void checkMembers(List<SdkField<?>> fields, JsonNode object, String path) {
        for (SdkField<?> field : fields) {
            if (field.location() != MarshallLocation.PAYLOAD) {
                continue;
            }
            JsonNode value = object.get(field.locationName());
            if (value != null && !value.isNull()) {
                checkValue(field, value, path.isEmpty() ? field.locationName() : path + "." + field.locationName());
            }
        }
    }

    private static void checkValue(SdkField<?> field, JsonNode value, String path) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.STRING) {
            expect(value.isTextual(), path, value, "a string");
        } else if (type == MarshallingType.INTEGER || type == MarshallingType.SHORT || type == MarshallingType.BYTE) {
            expect(value.isIntegralNumber() && value.canConvertToInt(), path, value, "an integer");
        } else if (type == MarshallingType.LONG) {
            expect(value.isIntegralNumber() && value.canConvertToLong(), path, value, "an integer");
        } else if (type == MarshallingType.DOUBLE || type == MarshallingType.FLOAT || type == MarshallingType.BIG_DECIMAL
                || type == MarshallingType.INSTANT) {
            expect(value.isNumber(), path, value, type == MarshallingType.INSTANT ? "a timestamp (epoch seconds)" : "a number");
        } else if (type == MarshallingType.BOOLEAN) {
            expect(value.isBoolean(), path, value, "a boolean");
        } else if (type == MarshallingType.SDK_BYTES) {
            expect(value.isTextual() && base64(value.textValue()), path, value, "base64 text");
        } else if (type == MarshallingType.LIST) {
            expect(value.isArray(), path, value, "a list");
            SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
            for (int i = 0; i < value.size(); i++) {
                if (!value.get(i).isNull()) {
                    checkValue(member, value.get(i), path + "." + i);
                }
            }
        } else if (type == MarshallingType.MAP) {
            expect(value.isObject(), path, value, "a map");
            SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
            value.properties().forEach(e -> {
                if (!e.getValue().isNull()) {
                    checkValue(member, e.getValue(), path + "." + e.getKey());
                }
            });
        } else if (type == MarshallingType.SDK_POJO) {
            expect(value.isObject(), path, value, "a structure");
            checkMembers(field.constructor().get().sdkFields(), value, path);
        }
    }

    private static void expect(boolean ok, String path, JsonNode value, String expected) {
        if (!ok) {
            String shown = path.length() > 200 ? path.substring(0, 200) + "..." : path;
            throw AwsError.of("SerializationException", "Member '" + shown + "' must be " + expected + "; it is "
                    + (value.isTextual() ? "a string" : value.isNumber() ? "a number" : value.isBoolean() ? "a boolean"
                    : value.isObject() ? "a structure" : value.isArray() ? "a list" : "another value") + ".");
        }
    }

    private static boolean base64(String text) {
        try {
            Base64.getDecoder().decode(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
