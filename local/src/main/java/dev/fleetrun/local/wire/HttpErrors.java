package dev.fleetrun.local.wire;

/**
 * How a family of AWS services words a request refused at the HTTP level, before any operation looks at it: a body
 * or header block over the endpoint's {@link WireLimits}, a body that is cut short or badly chunked, a content type
 * the protocol does not speak, an endpoint too busy to take it. Where AWS documents a code it is AWS's (the
 * "Common Errors" of its API references: {@code RequestEntityTooLargeException} 413,
 * {@code MalformedHttpRequestException} 400, {@code ServiceUnavailable} 503); the others are named after the HTTP
 * status they come with (RFC 6585's 431 Request Header Fields Too Large, 415 Unsupported Media Type). The services
 * of Query heritage (SNS, CloudWatch) name the same codes without the {@code Exception} suffix, as they name
 * their signature errors ({@link AuthErrors}).
 */
public record HttpErrors(String tooLargeCode, String headersTooLargeCode, String malformedCode,
                         String unsupportedMediaTypeCode, String unavailableCode) {
    /** AWS JSON 1.0 and 1.1 services. */
    public static final HttpErrors JSON = new HttpErrors("RequestEntityTooLargeException",
            "RequestHeaderFieldsTooLargeException", "MalformedHttpRequestException", "UnsupportedMediaTypeException",
            "ServiceUnavailable");
    /** Services of Query heritage, whatever they speak now (SNS, CloudWatch). */
    public static final HttpErrors QUERY = new HttpErrors("RequestEntityTooLarge", "RequestHeaderFieldsTooLarge",
            "MalformedHttpRequest", "UnsupportedMediaType", "ServiceUnavailable");

    AwsError bodyTooLarge(long bytes, int limit) {
        return new AwsError(tooLargeCode, "The request body is " + (bytes < 0 ? "longer than " + limit : bytes)
                + " bytes; this endpoint takes at most " + limit + " bytes (" + size(limit) + ") for this service."
                + " Nothing was run.", 413, null);
    }

    AwsError headersTooLarge(String what) {
        return new AwsError(headersTooLargeCode, "The request's header fields are too large: " + what
                + ". Nothing was run.", 431, null);
    }

    AwsError malformed(String what) {
        return new AwsError(malformedCode, "The request is not well-formed HTTP: " + what + ". Nothing was run.",
                400, null);
    }

    AwsError unsupportedMediaType(String contentType, String expected) {
        return new AwsError(unsupportedMediaTypeCode, "The request body's Content-Type is '" + contentType
                + "'; this protocol takes " + expected + ". Nothing was run.", 415, null);
    }

    AwsError unavailable(int concurrent, java.time.Duration waited) {
        return new AwsError(unavailableCode, "The endpoint is busy: " + concurrent + " requests are being answered"
                + " and this one waited " + waited.toMillis() + " ms for its turn. Try again (the AWS SDKs retry"
                + " this by themselves). Nothing was run.", 503, null);
    }

    private static String size(int bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB"
                : bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }
}
