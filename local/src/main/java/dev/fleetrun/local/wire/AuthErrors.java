package dev.fleetrun.local.wire;

/**
 * How a family of AWS services words a refused caller (HTTP 403 each): the services of the AWS JSON protocols
 * (SSM, Step Functions, EventBridge, DynamoDB) say {@code UnrecognizedClientException} and
 * {@code InvalidSignatureException}; the services of Query heritage (SNS, CloudWatch, SQS) say
 * {@code InvalidClientTokenId} and {@code SignatureDoesNotMatch}. The codes are AWS's; the messages add what
 * to do against {@code fleetrun serve}. S3 has words of its own ({@link #REST_XML}).
 */
public record AuthErrors(String missingCode, String incompleteCode, String unknownKeyCode, String badSignatureCode,
                         String deniedCode) {
    /** AWS JSON 1.0 and 1.1 services. */
    public static final AuthErrors JSON = new AuthErrors("MissingAuthenticationTokenException",
            "IncompleteSignatureException", "UnrecognizedClientException", "InvalidSignatureException",
            "AccessDeniedException");
    /** Services of Query heritage, whatever they speak now (SNS, CloudWatch, SQS). */
    public static final AuthErrors QUERY = new AuthErrors("MissingAuthenticationToken", "IncompleteSignature",
            "InvalidClientTokenId", "SignatureDoesNotMatch", "AccessDenied");

    /**
     * S3 (REST-XML): an unsigned request to a private bucket is {@code AccessDenied}; a malformed Authorization
     * header {@code AuthorizationHeaderMalformed}; an unknown key {@code InvalidAccessKeyId}.
     */
    public static final AuthErrors REST_XML = new AuthErrors("AccessDenied", "AuthorizationHeaderMalformed",
            "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied");

    static final String HOW = " fleetrun serve accepts only requests signed with the credentials it made for its user:"
            + " eval \"$(./fleetrun env)\" sets them for the AWS CLI and SDKs.";

    AwsError missing() {
        return refusal(missingCode, "Missing Authentication Token: the request is not signed." + HOW);
    }

    AwsError incomplete(String what) {
        return refusal(incompleteCode, "The request signature is incomplete: " + what + "." + HOW);
    }

    AwsError unknownKey() {
        return refusal(unknownKeyCode, "The security token included in the request is invalid: the access key id is"
                + " not this endpoint's." + HOW);
    }

    AwsError badSignature(String message) {
        return refusal(badSignatureCode, message);
    }

    /** A request refused before its signature is looked at (a foreign Host or Origin). */
    AwsError denied(String message) {
        return refusal(deniedCode, message);
    }

    private static AwsError refusal(String code, String message) {
        return new AwsError(code, message, 403, null);
    }
}
