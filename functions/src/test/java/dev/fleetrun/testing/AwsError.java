package dev.fleetrun.testing;

/**
 * An error a fake service answers with. The protocol of the request decides the wire shape
 * (an AWS JSON {@code __type}, a Query {@code <ErrorResponse>}, a CBOR map), so the SDK raises the
 * exception class AWS would make it raise: {@code InvocationDoesNotExist} becomes
 * {@code InvocationDoesNotExistException}, and so on.
 */
final class AwsError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final int httpStatus;
    private final String queryCode;

    /**
     * @param code       the error code (the shape name the SDK maps to an exception class)
     * @param message    what was wrong, for the caller to read
     * @param httpStatus 400 for the caller's faults, 5xx for the service's
     * @param queryCode  for services that are "AWS Query compatible" (CloudWatch): the legacy Query
     *                   error code sent in {@code x-amzn-query-error}; null to use {@code code}
     */
    AwsError(String code, String message, int httpStatus, String queryCode) {
        super(message);
        this.code = code;
        this.httpStatus = httpStatus;
        this.queryCode = queryCode;
    }

    /** A caller error (HTTP 400) with this code and message. */
    static AwsError of(String code, String message) {
        return new AwsError(code, message, 400, null);
    }

    /** The error AWS gives when a request member breaks its model constraint. */
    static AwsError validation(String member, Object value, String constraint) {
        return of("ValidationException", "1 validation error detected: Value " + describe(value)
                + " at '" + member + "' failed to satisfy constraint: " + constraint);
    }

    /** An operation this fake does not implement (AWS answers unknown targets the same way). */
    static AwsError unknownOperation(String service, String operation, Iterable<String> supported) {
        return of("UnknownOperationException", "FakeAws " + service + " does not implement operation '"
                + operation + "'; it implements " + String.join(", ", supported)
                + ". Add the operation to the fake, or call one of those.");
    }

    /**
     * A valid AWS request this fake does not simulate. The code is deliberately not an AWS one, so
     * nobody mistakes the answer for AWS behaviour.
     */
    static AwsError notImplemented(String what, String instead) {
        return of("NotImplementedByFakeAws", "FakeAws does not simulate " + what + "; " + instead);
    }

    String code() {
        return code;
    }

    int httpStatus() {
        return httpStatus;
    }

    String queryCode() {
        return queryCode == null ? code : queryCode;
    }

    private static String describe(Object value) {
        return value == null ? "null" : "'" + value + "'";
    }
}
