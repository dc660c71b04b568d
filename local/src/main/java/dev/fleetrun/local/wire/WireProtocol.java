package dev.fleetrun.local.wire;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One AWS wire protocol: how a request body decodes into a tree of members, and how an answer
 * or an {@link AwsError} is encoded so that the AWS SDK reads it as AWS's own.
 */
public interface WireProtocol {

    /** The request members; malformed bodies raise an {@link AwsError}. */
    public JsonNode decode(byte[] body);

    public WireResponse encode(String operation, JsonNode output, String requestId);

    public WireResponse encodeError(AwsError error, String requestId);

    /** How the services of this protocol word a refused caller. */
    default AuthErrors authErrors() {
        return AuthErrors.JSON;
    }
}
