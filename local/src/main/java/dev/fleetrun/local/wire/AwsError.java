package dev.fleetrun.local.wire;

/**
 * An error a service answers with. The protocol of the request decides the wire shape
 * (an AWS JSON {@code __type}, a Query {@code <ErrorResponse>}, a CBOR map), so the SDK raises the
 * exception class AWS would make it raise: {@code InvocationDoesNotExist} becomes
 * {@code InvocationDoesNotExistException}, and so on.
 */
public final class AwsError extends RuntimeException {
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
    public AwsError(String code, String message, int httpStatus, String queryCode) {
        super(message);
        this.code = code;
        this.httpStatus = httpStatus;
        this.queryCode = queryCode;
    }

    /** A caller error (HTTP 400) with this code and message. */
    public static AwsError of(String code, String message) {
        return new AwsError(code, message, 400, null);
    }

    /** The error AWS gives when a request member breaks its model constraint. */
    public static AwsError validation(String member, Object value, String constraint) {
        return of("ValidationException", "1 validation error detected: Value " + describe(value)
                + " at '" + member + "' failed to satisfy constraint: " + constraint);
    }

    /** An operation this service does not implement (AWS answers unknown targets the same way). */
    public static AwsError unknownOperation(String service, String operation, Iterable<String> supported) {
        return of("UnknownOperationException", service + " here does not implement operation '"
                + operation + "'; it implements " + String.join(", ", supported) + ".");
    }

    /**
     * A valid AWS request this simulation does not support. The code is deliberately not an AWS one,
     * so nobody mistakes the answer for AWS behaviour.
     */
    public static AwsError notImplemented(String what, String instead) {
        return of(NOT_IMPLEMENTED, "this simulation does not support " + what + "; " + instead);
    }

    /** The error code of {@link #notImplemented}. */
    public static final String NOT_IMPLEMENTED = "NotImplementedLocally";

    public String code() {
        return code;
    }

    /** The HTTP status the error is answered with. */
    public int httpStatus() {
        return httpStatus;
    }

    public String queryCode() {
        return queryCode == null ? code : queryCode;
    }

    private static String describe(Object value) {
        return value == null ? "null" : "'" + value + "'";
    }
}
