package dev.fleetrun.testing;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One AWS wire protocol: how a request body decodes into a tree of members, and how an answer
 * or an {@link AwsError} is encoded so that the AWS SDK reads it as AWS's own.
 */
interface WireProtocol {

    /** The request members; malformed bodies raise an {@link AwsError}. */
    JsonNode decode(byte[] body);

    WireResponse encode(String operation, JsonNode output, String requestId);

    WireResponse encodeError(AwsError error, String requestId);
}
