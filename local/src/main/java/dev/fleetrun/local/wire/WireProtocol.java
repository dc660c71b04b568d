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

    /** How the services of this protocol word a request refused at the HTTP level (size, framing, media type). */
    default HttpErrors httpErrors() {
        return HttpErrors.JSON;
    }

    /** The {@code Content-Type} this protocol's request bodies carry, as said to a caller who sent another. */
    public String mediaType();

    /** Whether a request body of this {@code Content-Type} (parameters and all) is this protocol's. */
    default boolean readsMediaType(String contentType) {
        return contentType != null && mediaTypeOf(contentType).equals(mediaType());
    }

    /** The media type of a {@code Content-Type} value, without its parameters, in lower case. */
    static String mediaTypeOf(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(java.util.Locale.ROOT);
    }
}
